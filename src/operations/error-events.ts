// Placeholder: error events (issue 8 item 3) are being built. Called from app.onError and the cron
// runner; must never throw.
import type { Context } from "hono";
import type { AppEnv, Env } from "../env";

/** Records an unexpected server-side failure of an HTTP request (a 5xx the app produced). */
export function reportServerError(_c: Context<AppEnv>, _error: unknown, _status: number): void {}

/** Records a failed cron job. */
export async function reportCronFailure(_env: Env, _cron: string, _error: unknown): Promise<void> {}
