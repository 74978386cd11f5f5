import type { RouteHandler } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { AppEnv, Env } from "../../env";
import { outboxBacklog } from "../../gateway/outbox";
import { errorBody } from "../../lib/errors";
import { redisClient } from "../../lib/redis";
import { withTimeout } from "../../lib/timeout";
import { API_VERSION } from "../../lib/version";
import type { healthRoute, readyRoute } from "./health.routes";

const dependencyTimeoutMs = 3_000;

interface CheckResult {
  ok: boolean;
  latency_ms: number;
  error?: string;
}

async function check(what: string, probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = Date.now();
  try {
    await withTimeout(probe(), dependencyTimeoutMs, what);
    return { ok: true, latency_ms: Date.now() - started };
  } catch (error) {
    return {
      ok: false,
      latency_ms: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export const health: RouteHandler<typeof healthRoute, AppEnv> = (c) =>
  c.json({ status: "ok" as const, version: API_VERSION, timestamp: new Date().toISOString() }, 200);

/**
 * Settlements waiting in the outbox because Postgres was unreachable: reported (a non-empty backlog
 * drains by itself once Postgres answers), not a reason to take the gateway out of rotation.
 */
async function settlementBacklog(env: Env) {
  try {
    const totals = await withTimeout(outboxBacklog(env), dependencyTimeoutMs, "settlement outbox");
    return { pending: totals.pending, oldest_age_ms: totals.oldestAgeMs, dead_letters: totals.deadLetters };
  } catch (error) {
    return {
      pending: null,
      oldest_age_ms: null,
      dead_letters: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
  const [postgres, redis] = await Promise.all([
    check("postgres", () => c.var.db().execute(sql`select 1`)),
    check("redis", async () => {
      const client = redisClient(c.var.config);
      if (!client) throw new Error("UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN not configured");
      await client.ping();
    }),
  ]);
  const checks = { postgres, redis };
  const backlog = await settlementBacklog(c.env);
  const failing = Object.entries(checks)
    .filter(([, result]) => !result.ok)
    .map(([name]) => name);
  if (failing.length > 0) {
    const body = errorBody(503, `Not ready: ${failing.join(" and ")} unreachable`, "dependency_unavailable");
    return c.json({ ...body, status: "unavailable" as const, checks, settlement_backlog: backlog }, 503);
  }
  return c.json({ status: "ready" as const, checks, settlement_backlog: backlog }, 200);
};
