// The dependency probes of the health watcher: Postgres through the app's own client (`select 1`)
// and Redis through the app's Upstash client (PING). Each is bounded by a timeout, so one hanging
// dependency cannot hold the tick.
import type { Redis } from "@upstash/redis/cloudflare";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { withTimeout } from "../lib/timeout";
import { errorText, scrubSecrets } from "./error-classify";
import type { CheckResult, IncidentSeverity } from "./health-state";

export const PROBE_TIMEOUT_MS = 5_000;

/** Everything that stores or bills goes through Postgres. */
export const POSTGRES_SEVERITY: IncidentSeverity = "critical";
/** Rate limits fail open and caches go cold: the gateway serves, degraded. */
export const REDIS_SEVERITY: IncidentSeverity = "high";

/**
 * The message and its causes, first lines only: drizzle wraps the driver's connection error in a
 * "Failed query: select 1" whose own message says nothing about why.
 */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const line = errorText(current).split("\n")[0]?.trim();
    if (line && !parts.includes(line)) parts.push(line);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ") || "unknown error";
}

async function timed(
  component: string,
  severity: IncidentSeverity,
  healthEndpoint: string,
  secrets: readonly string[],
  probe: (() => Promise<unknown>) | string,
): Promise<CheckResult> {
  const started = Date.now();
  const result = (ok: boolean, error: string | null): CheckResult => ({
    component,
    ok,
    severity,
    error: error === null ? null : scrubSecrets(error, secrets).slice(0, 1000),
    healthEndpoint,
    httpStatusCode: null,
    responseBody: null,
    details: { latency_ms: Date.now() - started, timeout_ms: PROBE_TIMEOUT_MS },
  });
  // A string instead of a probe: the dependency is not configured, which is as good as down.
  if (typeof probe === "string") return result(false, probe);
  try {
    await withTimeout(probe(), PROBE_TIMEOUT_MS, component);
    return result(true, null);
  } catch (error) {
    return result(false, describeFailure(error));
  }
}

export function probePostgres(
  db: Database | undefined,
  secrets: readonly string[],
  component = "postgres",
): Promise<CheckResult> {
  return timed(
    component,
    POSTGRES_SEVERITY,
    "postgres: select 1",
    secrets,
    db ? () => db.execute(sql`select 1`) : "DATABASE_URL is not set",
  );
}

export function probeRedis(
  redis: Redis | undefined,
  secrets: readonly string[],
  component = "redis",
): Promise<CheckResult> {
  return timed(
    component,
    REDIS_SEVERITY,
    "redis: PING",
    secrets,
    redis ? () => redis.ping() : "UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN are not set",
  );
}
