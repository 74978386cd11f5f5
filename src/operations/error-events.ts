// Recording gateway-side failures as error events: 5xx responses (app.onError), failed upstream
// attempts (the inference pipeline), settlement retries (the outbox) and failed cron jobs. Every
// function here is fire-and-forget: it never throws and never delays a response.
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import { type AnyDatabase, isDatabaseUnavailable, openSqlDatabase } from "../db/client";
import { insertErrorEvents, type NewErrorEvent } from "../db/error-events";
import { type AppEnv, type Env, readConfig } from "../env";
import { ApiError } from "../lib/errors";
import {
  type Classification,
  classifyMessage,
  classifyUpstream,
  errorText,
  fingerprintOf,
  scrubSecrets,
} from "./error-classify";

/** What an event is made of before it is scrubbed and fingerprinted. */
export interface ErrorEventInput extends Classification {
  source: "http" | "upstream" | "settlement" | "cron" | "loki" | "monitor" | "probe";
  message: string;
  route?: string | null;
  statusCode?: number | null;
  requestId?: string | null;
  provider?: string | null;
  model?: string | null;
  details?: Record<string, unknown>;
  createdAt?: Date;
}

const secretSuffix = /(_API_KEY|_TOKEN|_SECRET|_PASSWORD|_DSN)$/;

/** Configured secrets (vendor keys, ADMIN_API_KEY, tokens): scrubbed wherever they might appear. */
export function configuredSecrets(env: Env): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string" && value.length >= 8 && (secretSuffix.test(name) || name === "DATABASE_URL")) {
      secrets.push(value);
    }
  }
  return secrets;
}

function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return scrubSecrets(value, secrets).slice(0, 4000);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, secrets)]));
  }
  return value;
}

/** Scrubs and fingerprints an event (the fingerprint is computed from the scrubbed message). */
export async function buildErrorEvent(input: ErrorEventInput, secrets: readonly string[]): Promise<NewErrorEvent> {
  const message = scrubSecrets(input.message, secrets).slice(0, 2000);
  const where = input.source === "upstream" ? (input.provider ?? null) : (input.route ?? null);
  return {
    fingerprint: await fingerprintOf(input.category, input.source, where, message),
    category: input.category,
    severity: input.severity,
    source: input.source,
    message,
    route: input.route ?? null,
    statusCode: input.statusCode ?? null,
    requestId: input.requestId ?? null,
    provider: input.provider ?? null,
    model: input.model ?? null,
    details: scrubValue(input.details ?? {}, secrets) as Record<string, unknown>,
    createdAt: input.createdAt,
  };
}

/** Writes events; failures are logged (a recording that fails must not become a failure itself). */
export async function recordErrorEvents(
  db: AnyDatabase | (() => AnyDatabase),
  env: Env,
  inputs: readonly ErrorEventInput[],
): Promise<void> {
  try {
    const secrets = configuredSecrets(env);
    await insertErrorEvents(
      typeof db === "function" ? db() : db,
      await Promise.all(inputs.map((input) => buildErrorEvent(input, secrets))),
    );
  } catch (error) {
    console.error(
      JSON.stringify({ msg: "error event not recorded", error: scrubSecrets(errorText(error)).slice(0, 300) }),
    );
  }
}

/** The route pattern that answered (e.g. /v1/chat/completions), not the concrete path. */
export function routePatternOf(c: Context<AppEnv>): string | null {
  try {
    const handlers = matchedRoutes(c).filter((route) => route.method !== "ALL");
    return handlers.at(-1)?.path ?? null;
  } catch {
    return null;
  }
}

/** The first lines of a stack trace (code locations only; messages are scrubbed separately). */
function stackOf(error: unknown): string | undefined {
  return error instanceof Error && error.stack ? error.stack.split("\n").slice(0, 12).join("\n") : undefined;
}

/** Records an unexpected server-side failure of an HTTP request (a 5xx the app produced). */
export function reportServerError(c: Context<AppEnv>, error: unknown, status: number): void {
  try {
    const config = c.get("config");
    const defer = c.get("defer");
    // Before the config and database middleware ran (a broken configuration) there is nowhere to write.
    if (!config?.DATABASE_URL || !defer) return;
    const text = errorText(error);
    const cause = error instanceof Error && error.cause !== undefined ? errorText(error.cause) : undefined;
    const classification: Classification = isDatabaseUnavailable(error)
      ? { category: "DATABASE_ERROR", severity: "critical" }
      : status === 504
        ? { category: "TIMEOUT_ERROR", severity: "high" }
        : classifyMessage(`${text} ${cause ?? ""}`);
    const input: ErrorEventInput = {
      ...classification,
      source: "http",
      message: text,
      route: routePatternOf(c),
      statusCode: status,
      requestId: c.get("requestId") ?? null,
      details: {
        method: c.req.method,
        error_type: error instanceof Error ? error.name : typeof error,
        code: error instanceof ApiError ? error.code : undefined,
        cause,
        stack: error instanceof ApiError ? undefined : stackOf(error),
      },
    };
    defer(recordErrorEvents(c.get("sql"), c.env, [input]));
  } catch (failure) {
    console.error(JSON.stringify({ msg: "error event not recorded", error: String(failure).slice(0, 300) }));
  }
}

/** Records a failed cron job; opens its own connection (SQL over HTTP). */
export async function reportCronFailure(env: Env, cron: string, error: unknown, job?: string): Promise<void> {
  try {
    const config = readConfig(env);
    if (!config.DATABASE_URL) return;
    await recordErrorEvents(openSqlDatabase(config), env, [
      {
        ...(isDatabaseUnavailable(error)
          ? { category: "DATABASE_ERROR" as const, severity: "critical" as const }
          : classifyMessage(errorText(error))),
        source: "cron",
        message: errorText(error),
        route: job ? `cron ${cron} ${job}` : `cron ${cron}`,
        details: { cron, job, error_type: error instanceof Error ? error.name : typeof error, stack: stackOf(error) },
      },
    ]);
  } catch (failure) {
    console.error(JSON.stringify({ msg: "cron failure not recorded", error: String(failure).slice(0, 300) }));
  }
}

/** What the pipeline knows about one failed upstream attempt. */
export interface UpstreamFailure {
  requestId: string;
  provider: string;
  model: string;
  status: number;
  reason: string;
  /** Our own timer fired before the upstream answered. */
  timedOut?: boolean;
  /** The stream had started (the failure ended it with an error event). */
  midStream?: boolean;
}

/** The pipeline's recording hook: `defer` is the request's waitUntil, `db` its SQL over HTTP. */
export function recordUpstreamFailure(
  deps: { env: Env; sql: () => AnyDatabase; defer: (work: Promise<unknown>) => void },
  failure: UpstreamFailure,
): void {
  try {
    const input: ErrorEventInput = {
      ...classifyUpstream(failure.status, failure.timedOut === true),
      source: "upstream",
      message: `Provider '${failure.provider}' failed: ${failure.reason}`,
      statusCode: failure.status,
      requestId: failure.requestId,
      provider: failure.provider,
      model: failure.model,
      details: { mid_stream: failure.midStream === true, error_type: "UpstreamError" },
    };
    deps.defer(recordErrorEvents(deps.sql, deps.env, [input]));
  } catch (error) {
    console.error(JSON.stringify({ msg: "upstream failure not recorded", error: String(error).slice(0, 300) }));
  }
}

/** A settlement the outbox had to retry, or parked for a human: recorded once the database answers. */
export async function recordSettlementTrouble(
  db: AnyDatabase | (() => AnyDatabase),
  env: Env,
  trouble: {
    kind: "retried" | "parked" | "rejected";
    message: string;
    requestId?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const severity = trouble.kind === "retried" ? "high" : "critical";
  await recordErrorEvents(db, env, [
    {
      category: "DATABASE_ERROR",
      severity,
      source: "settlement",
      message: trouble.message,
      route: `settlement ${trouble.kind}`,
      requestId: trouble.requestId ?? null,
      details: { ...trouble.details, kind: trouble.kind, error_type: "SettlementError" },
    },
  ]);
}
