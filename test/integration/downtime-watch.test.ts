// The watcher's parts against the real stores, each test under components of its own (never the real
// postgres/redis ones): outages that begin and end while Postgres is down, provider verdicts from the
// request log and from the model-list probe, and an admin resolving an incident that still fails.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client";
import { resolveIncident } from "../../src/db/downtime-incidents";
import { readConfig } from "../../src/env";
import { redisClient } from "../../src/lib/redis";
import { probeRedis } from "../../src/operations/health-probes";
import { checkProviders, type ProviderTarget, providerComponent } from "../../src/operations/health-providers";
import type { CheckResult } from "../../src/operations/health-state";
import { forgetIsolateHealthState, type Stores } from "../../src/operations/health-store";
import { recordChecks } from "../../src/operations/health-watch";
import { providers } from "../../src/providers/registry";
import { execute, uniqueName, withDatabase } from "../support/accounts";

const config = readConfig(env);
const liveRedis = redisClient(config);
const deadRedis = redisClient(readConfig({ ...env, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" }));

let lastTick = 0;
async function tick(stores: Stores, checks: CheckResult[]): Promise<number> {
  const at = Math.max(Date.now(), lastTick + 1);
  lastTick = at;
  await recordChecks(config, stores, checks, at);
  forgetIsolateHealthState();
  return at;
}

const incidentsOf = (component: string) =>
  execute(sql`
    select id, status, severity, started_at, detected_at, ended_at, duration_seconds, resolved_by, metrics_snapshot,
           http_status_code, health_endpoint
    from downtime_incidents where component = ${component} order by detected_at`);

const ms = (value: unknown) => new Date(value instanceof Date ? value.toISOString() : String(value)).getTime();

function failing(component: string): CheckResult {
  return {
    component,
    ok: false,
    severity: "medium",
    error: "synthetic failure",
    healthEndpoint: "test",
    httpStatusCode: null,
    responseBody: null,
    details: {},
  };
}

async function script(service: string, path: string, status: number, body: unknown = {}): Promise<void> {
  await fetch(`${env.TEST_FAKE_SERVICES_URL}/__script`, {
    method: "POST",
    body: JSON.stringify({ service, path, status, body }),
  });
}

describe("an outage that begins and ends while Postgres is down", () => {
  it("is written once Postgres answers, already resolved, with the times of its checks", async () => {
    const component = `redis:${uniqueName("dt")}`;
    const postgresDown: Stores = { db: undefined, redis: liveRedis };
    const first = await tick(postgresDown, [await probeRedis(deadRedis, [], component)]);
    await tick(postgresDown, [await probeRedis(deadRedis, [], component)]);
    await tick(postgresDown, [await probeRedis(deadRedis, [], component)]);
    const firstGood = await tick(postgresDown, [await probeRedis(liveRedis, [], component)]);
    await tick(postgresDown, [await probeRedis(liveRedis, [], component)]);
    expect(await incidentsOf(component)).toEqual([]);

    await withDatabase((db) => tick({ db, redis: liveRedis }, [{ ...failing(component), ok: true }]));
    const [incident, ...others] = await incidentsOf(component);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ status: "resolved", severity: "high", resolved_by: "system:health-watch" });
    expect(ms(incident?.started_at)).toBe(first);
    expect(ms(incident?.ended_at)).toBe(firstGood);
    expect(incident?.duration_seconds).toBe(Math.round((firstGood - first) / 1000));
  });
});

async function logAttempts(slug: string, rows: { status: "completed" | "failed"; attempts: unknown[] }[]) {
  const values = rows.map(
    (row) =>
      sql`(${uniqueName("req")}, 'm', ${slug}, 'm0', ${row.status}, ${row.status === "completed" ? 200 : 502}, ${JSON.stringify(row.attempts)}::jsonb)`,
  );
  await execute(sql`
    insert into chat_completion_requests (request_id, requested_model, provider, upstream_model, status, http_status, attempts)
    values ${sql.join(values, sql`, `)}`);
}

function targetFor(slug: string, service: string): ProviderTarget {
  return {
    slug,
    adapter: providers.openai,
    settings: { apiKey: "test-key", baseUrl: `${env.TEST_FAKE_SERVICES_URL}/${service}/v1` },
  };
}

describe("provider health from the request log", () => {
  it("opens a high incident when failed attempts span 3 models, and resolves it once successes dominate", async () => {
    const slug = uniqueName("dtprov").replaceAll("_", "-");
    const service = uniqueName("dtprov");
    const failure = (model: string) => ({ provider: slug, model, status: 502, reason: "HTTP 502: bad gateway" });
    await logAttempts(slug, [
      ...["a", "b", "c", "a", "b", "c"].map((model) => ({ status: "failed" as const, attempts: [failure(model)] })),
      // Not the provider's health: a client error, an upstream 429, the gateway's own concurrency refusal.
      {
        status: "failed",
        attempts: [
          { provider: slug, model: "a", status: 400, reason: "HTTP 400: bad request" },
          { provider: slug, model: "a", status: 429, reason: "HTTP 429: slow down" },
          { provider: slug, model: "a", status: 503, reason: "Too many concurrent requests for provider x" },
        ],
      },
    ]);
    await withDatabase(async (db: Database) => {
      const stores: Stores = { db, redis: liveRedis };
      const check = async () => (await checkProviders(env, config, db, [targetFor(slug, service)], Date.now(), []))[0];
      const verdict = await check();
      expect(verdict).toMatchObject({
        component: providerComponent(slug),
        ok: false,
        severity: "high",
        details: { requests: 6, failures: 6, failing_models: 3, probe_status: null },
      });
      // Enough traffic to judge: no probe was sent.
      const probes = (await (await fetch(`${env.TEST_FAKE_SERVICES_URL}/__requests?service=${service}`)).json()) as [];
      expect(probes).toEqual([]);

      for (let i = 0; i < 3; i++) await tick(stores, [(await check()) ?? failing(slug)]);
      const [opened] = await incidentsOf(providerComponent(slug));
      expect(opened).toMatchObject({
        status: "ongoing",
        severity: "high",
        metrics_snapshot: { failures: 6, requests: 6 },
      });

      await logAttempts(
        slug,
        Array.from({ length: 10 }, () => ({ status: "completed" as const, attempts: [] })),
      );
      expect(await check()).toMatchObject({ ok: true, details: { requests: 16, failures: 6 } });
      await tick(stores, [(await check()) ?? failing(slug)]);
      await tick(stores, [(await check()) ?? failing(slug)]);
      expect((await incidentsOf(providerComponent(slug)))[0]).toMatchObject({ id: opened?.id, status: "resolved" });
    });
  });
});

describe("provider health of an idle provider", () => {
  it("probes the model list: no answer, a 5xx or a refused key is down; a 404 or a 429 is up", async () => {
    const slug = uniqueName("dtidle").replaceAll("_", "-");
    const service = uniqueName("dtidle");
    const verdict = async () =>
      (await checkProviders(env, config, undefined, [targetFor(slug, service)], Date.now(), []))[0];
    await script(service, "/v1/models", 503, { error: { message: "overloaded" } });
    expect(await verdict()).toMatchObject({
      ok: false,
      severity: "high",
      httpStatusCode: 503,
      healthEndpoint: `GET ${env.TEST_FAKE_SERVICES_URL}/${service}/v1/models`,
      details: { probe_status: 503, requests: null },
    });
    await script(service, "/v1/models", 401, { error: { message: "bad key" } });
    expect(await verdict()).toMatchObject({ ok: false, httpStatusCode: 401 });
    await script(service, "/v1/models", 404);
    expect(await verdict()).toMatchObject({ ok: true, httpStatusCode: 404, error: null });
    await script(service, "/v1/models", 429);
    expect(await verdict()).toMatchObject({ ok: true, httpStatusCode: 429 });
    const unreachable = await checkProviders(
      env,
      config,
      undefined,
      [{ ...targetFor(slug, service), settings: { apiKey: "k", baseUrl: "http://127.0.0.1:9/v1" } }],
      Date.now(),
      [],
    );
    expect(unreachable[0]).toMatchObject({ ok: false, httpStatusCode: null, details: { probe_status: "unreachable" } });
  });
});

describe("provider health from its circuit breaker", () => {
  it("an open provider breaker is a provider-wide (high) failure, whatever the probe says", async () => {
    const slug = uniqueName("dtbreaker").replaceAll("_", "-");
    const name = `provider:${slug}`;
    const breaker = env.CIRCUIT_BREAKER?.getByName(name);
    if (!breaker) throw new Error("CIRCUIT_BREAKER not bound");
    // Opens at once (BREAKER_CONSECUTIVE_FAILURES); the tests' cooldown is 1 s, so judge right away.
    let state = "closed";
    for (let i = 0; i < 5; i++) state = (await breaker.record(name, "failure", "HTTP 503: overloaded")).state;
    expect(state).toBe("open");
    const [verdict] = await checkProviders(
      env,
      config,
      undefined,
      [targetFor(slug, uniqueName("dtbrk"))],
      Date.now(),
      [],
    );
    expect(verdict).toMatchObject({
      ok: false,
      severity: "high",
      details: { breaker_state: "open", probe_status: 200 },
    });
    expect(verdict?.error).toContain("circuit breaker open: HTTP 503: overloaded");
  });
});

describe("an admin resolving an incident whose component still fails", () => {
  it("is respected: the watcher opens a new incident only after the threshold of further failures", async () => {
    const component = `provider:${uniqueName("dtadmin")}`;
    await withDatabase(async (db) => {
      const stores: Stores = { db, redis: liveRedis };
      for (let i = 0; i < 3; i++) await tick(stores, [failing(component)]);
      const [opened] = await incidentsOf(component);
      expect(opened?.status).toBe("ongoing");
      expect(await resolveIncident(db, String(opened?.id), "admin:test", "looked at it")).toMatchObject({
        outcome: "resolved",
      });

      const restart = await tick(stores, [failing(component)]);
      await tick(stores, [failing(component)]);
      expect((await incidentsOf(component)).map((row) => row.status)).toEqual(["resolved"]);
      await tick(stores, [failing(component)]);
      const [first, second] = await incidentsOf(component);
      expect(first).toMatchObject({ id: opened?.id, status: "resolved", resolved_by: "admin:test" });
      expect(second).toMatchObject({ status: "ongoing" });
      expect(ms(second?.started_at)).toBe(restart);
    });
  });
});
