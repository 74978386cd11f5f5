// The concurrency gate with real Durable Objects: admission, queueing, refusal, wait timeout, lease
// expiry, acquireSlots across gates, and the admin diagnostics endpoints.
import {
  createExecutionContext,
  evictDurableObject,
  listDurableObjectIds,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ConfigError, type Env } from "../../src/env";
import {
  acquireSlots,
  type GateLimit,
  gateLimitsFor,
  type HeldSlots,
  readGateStats,
} from "../../src/gateway/concurrency";
import { ApiError } from "../../src/lib/errors";
import { diagnosticsRoutes } from "../../src/routes/diagnostics";
import { execute, registerAccount, uniqueName } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { eventually } from "../support/eventually";
import { origin } from "../support/gateway";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gateName = () => `test:${uniqueName("gate")}`;

function gateStub(name: string) {
  const namespace = env.CONCURRENCY_GATE;
  if (!namespace) throw new Error("CONCURRENCY_GATE binding missing in the test worker");
  return namespace.getByName(name);
}

/** Lease rows as stored, read without an RPC (which would itself drop expired leases). */
function storedLeases(name: string) {
  return runInDurableObject(gateStub(name), (_instance, state) =>
    state.storage.sql
      .exec<{ lease_id: string; state: string }>("select lease_id, state from leases order by seq")
      .toArray()
      .map((row) => ({ ...row })),
  );
}

type Outcome = { state: "pending" } | { state: "admitted"; slots: HeldSlots } | { state: "refused"; error: unknown };

function track(acquisition: Promise<HeldSlots>): { outcome: Outcome; done: Promise<void> } {
  const tracked: { outcome: Outcome; done: Promise<void> } = { outcome: { state: "pending" }, done: Promise.resolve() };
  tracked.done = acquisition.then(
    (slots) => {
      tracked.outcome = { state: "admitted", slots };
    },
    (error: unknown) => {
      tracked.outcome = { state: "refused", error };
    },
  );
  return tracked;
}

describe("ConcurrencyGate with limit 2 and queue 1", () => {
  it("admits 2 of 4 concurrent requests, queues 1 until a slot frees, refuses 1 with 503 and Retry-After", async () => {
    const name = gateName();
    const gates: GateLimit[] = [{ name, limit: 2, queueLimit: 1 }];
    const calls = ["a", "b", "c", "d"].map((leaseId) =>
      track(acquireSlots(env, gates, { leaseId, waitTimeoutMs: 5_000 })),
    );
    await eventually(async () => {
      expect(calls.filter((call) => call.outcome.state !== "pending")).toHaveLength(3);
    });
    const admitted = calls.flatMap((call) => (call.outcome.state === "admitted" ? [call.outcome.slots] : []));
    const refused = calls.flatMap((call) => (call.outcome.state === "refused" ? [call.outcome.error] : []));
    const waiting = calls.filter((call) => call.outcome.state === "pending");
    expect(admitted).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(waiting).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(ApiError);
    expect(refused[0]).toMatchObject({ status: 503, code: "concurrency_limit", headers: { "retry-after": "5" } });
    expect((refused[0] as ApiError).message).toContain(name.split(":").slice(1).join(":"));
    expect(await readGateStats(env, name)).toMatchObject({ active: 2, queued: 1, limit: 2, queueLimit: 1 });

    await admitted[0]?.release();
    const queued = waiting[0];
    await queued?.done;
    expect(queued?.outcome.state).toBe("admitted");
    expect(await readGateStats(env, name)).toMatchObject({ active: 2, queued: 0 });

    await Promise.all([admitted[1]?.release(), queued?.outcome.state === "admitted" && queued.outcome.slots.release()]);
    expect(await readGateStats(env, name)).toMatchObject({ active: 0, queued: 0, oldestLeaseAgeMs: null });
  });

  it("refuses a queued caller whose wait runs out (503, Retry-After) and removes it from the queue", async () => {
    const name = gateName();
    const gates: GateLimit[] = [{ name, limit: 1, queueLimit: 1 }];
    const holder = await acquireSlots(env, gates, { leaseId: "holder" });
    const started = Date.now();
    const error = await acquireSlots(env, gates, { leaseId: "late", waitTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: "concurrency_limit", headers: { "retry-after": "1" } });
    expect((error as ApiError).message).toMatch(/no slot freed within 0\.3 s/);
    expect(await storedLeases(name)).toEqual([{ lease_id: "holder", state: "active" }]);
    await holder.release();
    expect(await storedLeases(name)).toEqual([]);
  });

  it("answers an acquire retried with the same lease id with the lease it already has", async () => {
    const stub = gateStub(gateName());
    const request = { leaseId: "same", limit: 1, queueLimit: 0, leaseTtlMs: 60_000 };
    expect(await stub.acquire(request)).toEqual({ admitted: true, queued: false });
    expect(await stub.acquire(request)).toEqual({ admitted: true, queued: false });
    expect(await stub.acquire({ ...request, leaseId: "other" })).toEqual({ admitted: false, queued: false });
    expect(await stub.stats()).toMatchObject({ active: 1, queued: 0 });
  });
});

describe("lease expiry", () => {
  it("drops a lease past its TTL by alarm and admits the queued request waiting behind it", async () => {
    const name = gateName();
    const stub = gateStub(name);
    const limits = { limit: 1, queueLimit: 1 };
    expect(await stub.acquire({ leaseId: "crashed", ...limits, leaseTtlMs: 150 })).toMatchObject({ admitted: true });
    const queued = await stub.acquire({ leaseId: "next", ...limits, leaseTtlMs: 60_000 });
    expect(queued).toEqual({ admitted: false, queued: true, position: 1 });
    const turn = stub.waitForTurn("next", 5_000);
    await sleep(250);
    // The alarm may already have fired on its own; either way nothing but the alarm touched the gate.
    await runDurableObjectAlarm(stub);
    expect(await turn).toEqual({ admitted: true, queued: false });
    expect(await storedLeases(name)).toEqual([{ lease_id: "next", state: "active" }]);
  });

  it("drops expired leases on any call, and keeps live ones across eviction (SQLite storage)", async () => {
    const name = gateName();
    const stub = gateStub(name);
    await stub.acquire({ leaseId: "short", limit: 5, queueLimit: 0, leaseTtlMs: 50 });
    await stub.acquire({ leaseId: "long", limit: 5, queueLimit: 0, leaseTtlMs: 60_000 });
    // Without its alarm, only the next call can notice the expiry.
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    await evictDurableObject(stub);
    await sleep(100);
    expect(await storedLeases(name)).toEqual([
      { lease_id: "short", state: "active" },
      { lease_id: "long", state: "active" },
    ]);
    const stats = await stub.stats();
    expect(stats).toMatchObject({ active: 1, queued: 0, limit: 5, queueLimit: 0 });
    expect(stats.oldestLeaseAgeMs).toBeGreaterThanOrEqual(100);
    expect(await storedLeases(name)).toEqual([{ lease_id: "long", state: "active" }]);
  });
});

describe("acquireSlots", () => {
  it("makes no Durable Object call for gates without a limit", async () => {
    const unlimited = gateName();
    const nullLimit = gateName();
    const slots = await acquireSlots(
      env,
      [
        { name: unlimited, limit: undefined },
        { name: nullLimit, limit: null },
      ],
      { leaseId: "free" },
    );
    expect(slots.gates).toEqual([]);
    await slots.release();
    const namespace = env.CONCURRENCY_GATE;
    if (!namespace) throw new Error("binding missing");
    const ids = await listDurableObjectIds(namespace);
    for (const name of [unlimited, nullLimit]) {
      const id = namespace.idFromName(name);
      expect(ids.some((existing) => existing.equals(id))).toBe(false);
    }
  });

  it("releases what it already holds when a later gate is full, and names that gate", async () => {
    const first = gateName();
    const full = gateName();
    const blocker = await acquireSlots(env, [{ name: full, limit: 1, queueLimit: 0 }], { leaseId: "blocker" });
    const error = await acquireSlots(
      env,
      [
        { name: first, limit: 5 },
        { name: full, limit: 1, queueLimit: 0 },
      ],
      { leaseId: "partial" },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: "concurrency_limit", headers: { "retry-after": "10" } });
    expect((error as ApiError).message).toContain(`'${full.slice("test:".length)}'`);
    expect((error as ApiError).message).toContain("queue is full");
    expect(await storedLeases(first)).toEqual([]);
    expect(await storedLeases(full)).toEqual([{ lease_id: "blocker", state: "active" }]);
    await blocker.release();
  });

  it("admits without the gate (fail open) and reports it when the binding is missing", async () => {
    const reported: string[] = [];
    const unbound: Env = { ...env, CONCURRENCY_GATE: undefined };
    const slots = await acquireSlots(unbound, [{ name: "provider:groq", limit: 1 }], {
      leaseId: "unbound",
      onGateError: (gate) => reported.push(gate),
    });
    expect(slots.gates).toEqual([]);
    expect(reported).toEqual(["provider:groq"]);
  });

  it("gateLimitsFor: key gate first, provider limit from <SLUG>_MAX_CONCURRENCY, unset means not gated", () => {
    const configured: Env = { ...env, GROQ_MAX_CONCURRENCY: "3" };
    expect(gateLimitsFor(configured, "groq", { id: 42, concurrencyLimit: 7 })).toEqual([
      { name: "key:42", limit: 7 },
      { name: "provider:groq", limit: 3 },
    ]);
    expect(gateLimitsFor(env, "groq")).toEqual([{ name: "provider:groq", limit: undefined }]);
    expect(() => gateLimitsFor({ ...env, GROQ_MAX_CONCURRENCY: "lots" }, "groq")).toThrow(ConfigError);
    expect(() => gateLimitsFor({ ...env, GROQ_MAX_CONCURRENCY: "0" }, "groq")).toThrow(/GROQ_MAX_CONCURRENCY/);
  });
});

async function diagnostics(path: string, bindings: Env, key: string | null = TEST_ADMIN_API_KEY): Promise<Response> {
  const app = createApp();
  app.route("/", diagnosticsRoutes);
  const ctx = createExecutionContext();
  const headers = new Headers({ "cf-connecting-ip": "10.9.9.9" });
  if (key) headers.set("authorization", `Bearer ${key}`);
  const response = await app.fetch(new Request(`${origin}${path}`, { headers }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("GET /api/diagnostics/concurrency", () => {
  it("reports active/queued vs limits, utilisation and the seed's status thresholds", async () => {
    const bindings: Env = { ...env, DEEPINFRA_MAX_CONCURRENCY: "4" };
    const gates = gateLimitsFor(bindings, "deepinfra");
    const held = await Promise.all(
      ["d1", "d2", "d3"].map((id) => acquireSlots(bindings, gates, { leaseId: `${uniqueName("diag")}-${id}` })),
    );
    try {
      const response = await diagnostics("/api/diagnostics/concurrency?provider=deepinfra,groq", bindings);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: "warning",
        ungated_providers: ["groq"],
        thresholds: {
          warning: { utilization_percent: 70, queue_utilization_percent: 60 },
          critical: { utilization_percent: 90, queue_utilization_percent: 80 },
        },
        gates: [
          {
            provider: "deepinfra",
            gate: "provider:deepinfra",
            active_requests: 3,
            queued_requests: 0,
            concurrency_limit: 4,
            queue_size_limit: 50,
            queue_timeout_seconds: 10,
            utilization_percent: 75,
            queue_utilization_percent: 0,
            available_slots: 1,
            available_queue_slots: 50,
            status: "warning",
          },
        ],
      });

      held.push(await acquireSlots(bindings, gates, { leaseId: uniqueName("diag") }));
      const full = (await (await diagnostics("/api/diagnostics/concurrency", bindings)).json()) as {
        status: string;
        gates: { provider: string; status: string; utilization_percent: number }[];
      };
      expect(full.status).toBe("critical");
      expect(full.gates).toEqual([expect.objectContaining({ provider: "deepinfra", status: "critical" })]);
    } finally {
      await Promise.all(held.map((slots) => slots.release()));
    }
    const idle = (await (await diagnostics("/api/diagnostics/concurrency", bindings)).json()) as {
      status: string;
      gates: { active_requests: number; status: string }[];
    };
    expect(idle).toMatchObject({ status: "healthy", gates: [{ active_requests: 0, status: "healthy" }] });
  });

  it("rejects unknown providers (400) and callers who are not admins (401, 403)", async () => {
    const unknown = await diagnostics("/api/diagnostics/concurrency?provider=nope", env);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: "unknown_provider", param: "provider" } });
    expect((await diagnostics("/api/diagnostics/concurrency", env, null)).status).toBe(401);
    const user = await registerAccount();
    const forbidden = await diagnostics("/api/diagnostics/provider-timing", env, user.apiKey);
    expect(forbidden.status).toBe(403);
  });
});

describe("GET /api/diagnostics/provider-timing", () => {
  it("summarises logged latencies per provider with slow (30-45 s) and very slow (> 45 s) counts", async () => {
    const provider = uniqueName("timing");
    // Within the last day: model-a 1, 2, 31 s; model-b 45, 46, 60 s and one without a latency. Three days old: 90 s.
    const rows: [string, number | null, string][] = [
      ...[1_000, 2_000, 31_000].map((ms): [string, number, string] => ["model-a", ms, "1 hour"]),
      ...[45_000, 46_000, 60_000, null].map((ms): [string, number | null, string] => ["model-b", ms, "1 hour"]),
      ["model-a", 90_000, "3 days"],
    ];
    for (const [model, latency, age] of rows) {
      await execute(sql`
        insert into chat_completion_requests
          (request_id, requested_model, provider, upstream_model, status, http_status, latency_ms, created_at)
        values (${uniqueName("req")}, ${`${provider}/${model}`}, ${provider}, ${model}, 'completed', 200, ${latency},
                now() - ${age}::interval)`);
    }
    const response = await diagnostics("/api/diagnostics/provider-timing", env);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      providers: { provider: string }[];
      slow_request_counts: Record<string, unknown>;
    } & Record<string, unknown>;
    expect(body).toMatchObject({
      metrics_available: true,
      window_hours: 24,
      thresholds: { slow: "30-45 seconds", very_slow: ">45 seconds" },
    });
    expect(body.providers.find((row) => row.provider === provider)).toEqual({
      provider,
      requests: 6,
      avg_latency_ms: 30_833,
      p95_latency_ms: 56_500,
      max_latency_ms: 60_000,
      slow: 2,
      very_slow: 2,
    });
    expect(body.slow_request_counts[`${provider}/model-a`]).toEqual({ slow: 1, very_slow: 0 });
    expect(body.slow_request_counts[`${provider}/model-b`]).toEqual({ slow: 1, very_slow: 2 });

    const week = (await (await diagnostics("/api/diagnostics/provider-timing?window_hours=100", env)).json()) as {
      providers: { provider: string; requests: number; very_slow: number }[];
    };
    expect(week.providers.find((row) => row.provider === provider)).toMatchObject({ requests: 7, very_slow: 3 });
    expect((await diagnostics("/api/diagnostics/provider-timing?window_hours=0", env)).status).toBe(400);
  });
});
