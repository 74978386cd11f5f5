// Placeholder: the per-minute health watcher (downtime incidents, issue 8 item 4) is being built.
import type { Env } from "../env";

export async function runHealthWatch(_env: Env, _ctx: ExecutionContext, _scheduledTime: number): Promise<void> {}
