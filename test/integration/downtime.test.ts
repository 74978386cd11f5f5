// The health watcher end to end: the cron job itself, with Redis and then Postgres made unreachable
// (a closed port) for a few ticks and then given back. These are the only tests that drive the real
// `postgres` and `redis` components; they run one after the other in this file and end recovered.
// Provider checks are left out here (no provider keys): other files' failing requests would count.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHealthWatch } from "../../src/cron/health-watch";
import { readConfig } from "../../src/env";
import { redisClient } from "../../src/lib/redis";
import { ProbeStateSchema } from "../../src/operations/health-state";
import { forgetIsolateHealthState, redisStateKey } from "../../src/operations/health-store";
import { providerEnvName, providers } from "../../src/providers/registry";
import { execute, uniqueName } from "../support/accounts";

const closedPort = "http://127.0.0.1:9";
const deadDatabaseUrl = (() => {
  const url = new URL(String(env.DATABASE_URL));
  url.port = "9";
  return url.toString();
})();
const withoutProviders = Object.fromEntries(Object.keys(providers).map((id) => [providerEnvName(id, "API_KEY"), ""]));

let lastTick = 0;

/** One cron tick; this isolate's copy of the states is dropped after it, so only Redis and Postgres carry them. */
async function tick(overrides: Record<string, string> = {}): Promise<number> {
  const at = Math.max(Date.now(), lastTick + 1);
  lastTick = at;
  const ctx = createExecutionContext();
  await runHealthWatch({ ...env, ...withoutProviders, ...overrides }, ctx, at);
  await waitOnExecutionContext(ctx);
  forgetIsolateHealthState();
  return at;
}

async function incidentsOf(component: string, since: number): Promise<Record<string, unknown>[]> {
  return execute(sql`
    select id, status, severity, environment, health_endpoint, error_message, started_at, detected_at, ended_at,
           duration_seconds, resolved_by, notes, log_count, logs_captured, metrics_snapshot, server_info
    from downtime_incidents where component = ${component} and detected_at >= ${new Date(since).toISOString()}::timestamptz
    order by detected_at`);
}

async function recordErrorEvent(message: string, at: Date): Promise<void> {
  await execute(sql`
    insert into error_events (fingerprint, category, severity, source, message, created_at)
    values (${`fp-${message}`}, 'DATABASE_ERROR', 'high', 'http', ${message}, ${at.toISOString()}::timestamptz)`);
}

const ms = (value: unknown) => new Date(String(value instanceof Date ? value.toISOString() : value)).getTime();

beforeAll(async () => {
  // A real Redis outlives the test database: drop what an earlier, interrupted run left for these components.
  await redisClient(readConfig(env))?.del(redisStateKey("postgres"), redisStateKey("redis"));
  forgetIsolateHealthState();
});

afterAll(async () => {
  // Whatever happened above, leave both components healthy and without an open incident.
  for (let i = 0; i < Number(readConfig(env).INCIDENT_RECOVERY_THRESHOLD) + 1; i++) await tick();
});

describe("health watch: Redis unreachable, then back", () => {
  it("opens a high incident after 3 failed checks, dated from the first, with its logs, and resolves it after 2 good ones", async () => {
    const start = Date.now() - 1;
    const marker = uniqueName("redis-outage");
    await recordErrorEvent(marker, new Date(Date.now() - 60_000));
    const lokiService = uniqueName("loki");
    const lokiLine = `{"level":"error","logger":"gateway.rate-limit","message":"upstash unreachable ${marker}"}`;
    await fetch(`${env.TEST_FAKE_SERVICES_URL}/__script`, {
      method: "POST",
      body: JSON.stringify({
        service: lokiService,
        path: "/loki/api/v1/query_range",
        status: 200,
        body: {
          status: "success",
          data: {
            resultType: "streams",
            result: [
              { stream: { app: "edge-llm-gateway" }, values: [[`${BigInt(Date.now()) * 1_000_000n}`, lokiLine]] },
            ],
          },
        },
      }),
    });
    const down = {
      UPSTASH_REDIS_REST_URL: closedPort,
      LOKI_URL: `${env.TEST_FAKE_SERVICES_URL}/${lokiService}`,
      LOKI_USERNAME: "12345",
      LOKI_API_KEY: "loki-test-key",
    };

    const first = await tick(down);
    await tick(down);
    expect(await incidentsOf("redis", start)).toEqual([]);
    const third = await tick(down);

    const [opened, ...others] = await incidentsOf("redis", start);
    expect(others).toEqual([]);
    expect(opened).toMatchObject({
      status: "ongoing",
      severity: "high",
      environment: "test",
      health_endpoint: "redis: PING",
      ended_at: null,
    });
    expect(ms(opened?.started_at)).toBe(first);
    expect(ms(opened?.detected_at)).toBe(third);
    expect(String(opened?.error_message).length).toBeGreaterThan(0);
    // The window's logs: the error event and the Loki line, each tagged with its source.
    const logs = opened?.logs_captured as { message: string; level: string; labels: Record<string, string> }[];
    expect(logs.find((log) => log.message === marker)).toMatchObject({
      level: "ERROR",
      labels: { source: "error_events" },
    });
    expect(logs.find((log) => log.message.endsWith(marker) && log.labels.source === "loki")).toMatchObject({
      level: "ERROR",
    });
    expect(opened?.log_count).toBe(logs.length);
    const sent = (await (await fetch(`${env.TEST_FAKE_SERVICES_URL}/__requests?service=${lokiService}`)).json()) as {
      query: Record<string, string>;
      headers: Record<string, string>;
    }[];
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent[0]?.query).toMatchObject({
      query: readConfig(env).LOKI_QUERY,
      start: `${BigInt(first - 5 * 60_000) * 1_000_000n}`,
      direction: "forward",
      limit: "10000",
    });
    expect(sent[0]?.headers.authorization).toBe(`Basic ${btoa("12345:loki-test-key")}`);

    // Redis answers again: one good check is not enough, the second resolves it from the first.
    const firstGood = await tick();
    expect((await incidentsOf("redis", start))[0]?.status).toBe("ongoing");
    await tick();
    const [resolved] = await incidentsOf("redis", start);
    expect(resolved).toMatchObject({ status: "resolved", resolved_by: "system:health-watch" });
    expect(ms(resolved?.ended_at)).toBe(firstGood);
    expect(resolved?.duration_seconds).toBe(Math.round((firstGood - first) / 1000));
    const [state] = await execute(
      sql`select consecutive_successes, consecutive_failures, last_ok from health_probe_states where component = 'redis'`,
    );
    expect(state).toEqual({ consecutive_successes: 2, consecutive_failures: 0, last_ok: true });
  });
});

describe("health watch: Postgres unreachable, then back", () => {
  it("keeps the failure run in Redis and writes the incident, dated from the first failed check, once Postgres answers", async () => {
    const start = Date.now() - 1;
    const marker = uniqueName("pg-outage");
    await recordErrorEvent(marker, new Date(Date.now() - 2 * 60_000));
    const redis = redisClient(readConfig(env));
    if (!redis) throw new Error("Redis is not configured for the tests");

    const first = await tick({ DATABASE_URL: deadDatabaseUrl });
    await tick({ DATABASE_URL: deadDatabaseUrl });
    const third = await tick({ DATABASE_URL: deadDatabaseUrl });

    // Detected, but Postgres could not take it: the incident waits in Redis with the failure run.
    expect(await incidentsOf("postgres", start)).toEqual([]);
    const held = ProbeStateSchema.parse(await redis.get(redisStateKey("postgres")));
    expect(held).toMatchObject({ consecutiveFailures: 3, failingSince: first, lastOk: false });
    expect(held.incident).toMatchObject({
      startedAt: first,
      detectedAt: third,
      severity: "critical",
      persisted: false,
    });

    // Postgres is back: the first tick writes it (still ongoing: one good check), with the outage's logs.
    const firstGood = await tick();
    const [written, ...others] = await incidentsOf("postgres", start);
    expect(others).toEqual([]);
    expect(written).toMatchObject({ id: held.incident?.id, status: "ongoing", severity: "critical" });
    expect(ms(written?.started_at)).toBe(first);
    expect(ms(written?.detected_at)).toBe(third);
    const logs = written?.logs_captured as { message: string }[];
    expect(logs.some((log) => log.message === marker)).toBe(true);

    await tick();
    const [resolved] = await incidentsOf("postgres", start);
    expect(resolved).toMatchObject({ status: "resolved", resolved_by: "system:health-watch" });
    expect(ms(resolved?.ended_at)).toBe(firstGood);
    expect(resolved?.duration_seconds).toBe(Math.round((firstGood - first) / 1000));
    expect(ProbeStateSchema.parse(await redis.get(redisStateKey("postgres"))).incident).toBeNull();
  });
});
