import {
  createExecutionContext,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { BreakerSnapshot } from "../../src/durable-objects/breaker-policy";
import { reportOutcome } from "../../src/gateway/breakers";
import { execute, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { eventually } from "../support/eventually";
import { call, errorOf, origin } from "../support/gateway";
import type { RecordedRequest } from "../support/mock-upstream";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const breaker = (name: string) => {
  const namespace = env.CIRCUIT_BREAKER;
  if (!namespace) throw new Error("CIRCUIT_BREAKER not bound");
  return namespace.getByName(name);
};

describe("circuit breaker Durable Object", () => {
  it("opens on consecutive failures, half-opens after the cooldown, closes after probes, reopens with a doubled cooldown", async () => {
    const name = `provider:unit-${crypto.randomUUID().slice(0, 8)}`;
    const stub = breaker(name);
    let snapshot: BreakerSnapshot = await stub.snapshot(name);
    expect(snapshot.state).toBe("closed");
    for (let index = 0; index < 4; index++) snapshot = await stub.record(name, "failure", "HTTP 500");
    expect(snapshot).toMatchObject({ state: "closed", failure_count: 4 });
    snapshot = await stub.record(name, "failure", "HTTP 503");
    expect(snapshot).toMatchObject({ state: "open", last_failure_reason: "HTTP 503", seconds_until_retry: 1 });

    // The alarm moves it to half-open when the cooldown ends, even with no traffic: the stored state
    // changes without any call to the breaker.
    await sleep(1_100);
    await runDurableObjectAlarm(stub); // runs it now if the runtime has not already
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.get<{ state: string }>("state"));
    expect(stored?.state).toBe("half_open");
    snapshot = await stub.record(name, "success");
    expect(snapshot.state).toBe("half_open");
    snapshot = await stub.record(name, "success");
    expect(snapshot).toMatchObject({ state: "closed", failure_count: 0 });

    for (let index = 0; index < 5; index++) snapshot = await stub.record(name, "failure", "timeout");
    expect(snapshot.state).toBe("open");
    await sleep(1_100);
    expect((await stub.snapshot(name)).state).toBe("half_open");
    snapshot = await stub.record(name, "failure", "still failing");
    // Second opening without recovery: 2 s cooldown.
    expect(snapshot).toMatchObject({ state: "open", seconds_until_retry: 2 });
  });

  it("opens on the failure rate over the window, and does not count upstream 429s as failures", async () => {
    const name = `provider:rate-${crypto.randomUUID().slice(0, 8)}`;
    const stub = breaker(name);
    for (let index = 0; index < 10; index++) await stub.record(name, "rate_limited", "429");
    let snapshot = await stub.snapshot(name);
    expect(snapshot).toMatchObject({ state: "closed", rate_limited_requests: 10, failure_rate: 0 });
    // success, failure alternating: 50 % over ≥ 5 requests opens it before 5 consecutive failures.
    for (const outcome of ["success", "failure", "success", "failure", "failure", "success", "failure"] as const) {
      snapshot = await stub.record(name, outcome, outcome === "failure" ? "HTTP 502" : null);
      if (snapshot.state === "open") break;
    }
    expect(snapshot.state).toBe("open");
    expect(snapshot.failure_rate).toBeGreaterThanOrEqual(0.5);
  });
});

describe("batched success reports", () => {
  it("the Durable Object applies a batch of successes at once, and a batch can close a half-open breaker", async () => {
    const name = `provider:batch-${crypto.randomUUID().slice(0, 8)}`;
    const stub = breaker(name);
    await stub.record(name, "failure", "HTTP 500");
    let snapshot = await stub.record(name, "success", null, 40);
    expect(snapshot).toMatchObject({ state: "closed", failure_count: 0, success_count: 40, recent_requests: 41 });
    for (let index = 0; index < 5; index++) snapshot = await stub.record(name, "failure", "HTTP 500");
    expect(snapshot.state).toBe("open");
    await sleep(1_100);
    expect((await stub.snapshot(name)).state).toBe("half_open");
    expect(await stub.record(name, "success", null, 2)).toMatchObject({ state: "closed" });
  });

  it("an isolate reports a closed breaker's successes in batches, and sends them before a failure", async () => {
    const name = `provider:isolate-${crypto.randomUUID().slice(0, 8)}`;
    const deferred: Promise<unknown>[] = [];
    const defer = (work: Promise<unknown>) => deferred.push(work);
    for (let index = 0; index < 3; index++) reportOutcome(env, name, "success", null, defer);
    expect(deferred).toHaveLength(0); // nothing sent yet: one batch per second at most
    reportOutcome(env, name, "failure", "HTTP 502", defer);
    expect(deferred).toHaveLength(1);
    await Promise.all(deferred);
    expect(await breaker(name).snapshot(name)).toMatchObject({
      state: "closed",
      failure_count: 1,
      success_count: 3,
      recent_requests: 4,
      last_failure_reason: "HTTP 502",
    });
  });
});

describe("circuit breaker endpoints", () => {
  it("creates an unknown provider's breaker closed, lists it, and resets it (admin only)", async () => {
    const provider = `p${crypto.randomUUID().slice(0, 8)}`;
    const created = await call(`/circuit-breakers/${provider}`);
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ name: `provider:${provider}`, state: "closed" });
    const list = (await (await call("/circuit-breakers")).json()) as { breakers: BreakerSnapshot[] };
    expect(list.breakers.map((entry) => entry.name)).toContain(`provider:${provider}`);

    for (let index = 0; index < 5; index++)
      await breaker(`provider:${provider}`).record(`provider:${provider}`, "failure", "x");
    expect((await call(`/circuit-breakers/${provider}/reset`, { method: "POST" })).status).toBe(401);
    const user = await registerAccount();
    expect((await call(`/circuit-breakers/${provider}/reset`, { method: "POST", key: user.apiKey })).status).toBe(403);
    const reset = await call(`/circuit-breakers/${provider}/reset`, { method: "POST", key: TEST_ADMIN_API_KEY });
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as { reset: string[] }).reset).toContain(`provider:${provider}`);
    expect(await (await call(`/circuit-breakers/${provider}`)).json()).toMatchObject({
      state: "closed",
      failure_count: 0,
    });
  });

  it("answers 404 when resetting a breaker that does not exist, 400 for a malformed name", async () => {
    const missing = await call(`/circuit-breakers/never-seen-${Date.now()}/reset`, {
      method: "POST",
      key: TEST_ADMIN_API_KEY,
    });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).error.code).toBe("breaker_not_found");
    expect((await call("/circuit-breakers/Bad_Name!")).status).toBe(400);
  });

  it("resets every breaker", async () => {
    const name = `provider:all-${crypto.randomUUID().slice(0, 8)}`;
    for (let index = 0; index < 5; index++) await breaker(name).record(name, "failure", "x");
    const response = await call("/circuit-breakers/reset-all", { method: "POST", key: TEST_ADMIN_API_KEY });
    expect(response.status).toBe(200);
    expect((await breaker(name).snapshot(name)).state).toBe("closed");
  });
});

describe("failover", () => {
  /** The real app with a failover map: cerebras falls back to xai for the same model id. */
  async function chatVia(key: string, body: Record<string, unknown>): Promise<Response> {
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request(`${origin}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "cf-connecting-ip": "192.0.2.77",
        },
        body: JSON.stringify(body),
      }),
      { ...env, FAILOVER_MAP: JSON.stringify({ cerebras: ["xai"] }) },
      ctx,
    );
    const text = await response.text();
    await waitOnExecutionContext(ctx);
    return new Response(text, response);
  }

  async function upstreamPaths(model: string): Promise<string[]> {
    const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
    return requests.filter((request) => request.body.model === model).map((request) => request.path);
  }

  it("moves to the fallback provider before the client notices, opens the failing provider's breaker, skips it, and recovers via half-open", async () => {
    await call("/circuit-breakers/cerebras/reset", { method: "POST", key: TEST_ADMIN_API_KEY });
    const account = await registerAccount();
    const failing = "fixture:openai/chat-completion-text?fail_on=cerebras&case=failover";

    for (let index = 0; index < 3; index++) {
      const response = await chatVia(account.apiKey, {
        model: `cerebras/${failing}`,
        messages: [{ role: "user", content: "x" }],
      });
      expect(response.status).toBe(200);
      const id = response.headers.get("x-request-id") ?? "";
      const row = await eventually(async () => {
        const [found] = await execute(
          sql`select provider, status from chat_completion_requests where request_id = ${id}`,
        );
        expect(found).toBeDefined();
        return found;
      });
      expect(row).toEqual({ provider: "xai", status: "completed" });
    }
    // Each request tried cerebras twice (one retry) before xai: 6 failures ≥ 5 opens the breaker.
    expect((await breaker("provider:cerebras").snapshot("provider:cerebras")).state).toBe("open");
    const triedBefore = (await upstreamPaths(failing)).filter((path) => path.startsWith("/cerebras/")).length;
    expect(triedBefore).toBe(6);

    const skipped = await chatVia(account.apiKey, {
      model: `cerebras/${failing}`,
      messages: [{ role: "user", content: "x" }],
    });
    expect(skipped.status).toBe(200);
    const triedAfter = (await upstreamPaths(failing)).filter((path) => path.startsWith("/cerebras/")).length;
    expect(triedAfter).toBe(triedBefore);

    // After the cooldown, probes reach cerebras again; two successes close the breaker.
    await sleep(1_200);
    const healthy = "fixture:openai/chat-completion-text?case=recovered";
    for (let index = 0; index < 2; index++) {
      const response = await chatVia(account.apiKey, {
        model: `cerebras/${healthy}`,
        messages: [{ role: "user", content: "x" }],
      });
      expect(response.status).toBe(200);
    }
    expect((await upstreamPaths(healthy)).every((path) => path.startsWith("/cerebras/"))).toBe(true);
    expect((await breaker("provider:cerebras").snapshot("provider:cerebras")).state).toBe("closed");
  });

  it("tries the request's fallback models in order", async () => {
    const account = await registerAccount();
    const response = await call("/v1/chat/completions", {
      method: "POST",
      key: account.apiKey,
      json: {
        model: "groq/fixture:openai/chat-completion-text?fail_on=groq&case=models",
        models: ["deepseek/fixture:openai/chat-completion-text?case=models-fallback"],
        messages: [{ role: "user", content: "x" }],
      },
    });
    expect(response.status).toBe(200);
    const id = response.headers.get("x-request-id") ?? "";
    const row = await eventually(async () => {
      const [found] = await execute(
        sql`select provider, upstream_model from chat_completion_requests where request_id = ${id}`,
      );
      expect(found).toBeDefined();
      return found;
    });
    expect(row).toEqual({
      provider: "deepseek",
      upstream_model: "fixture:openai/chat-completion-text?case=models-fallback",
    });
    const [logged] = await execute(sql`select attempts from chat_completion_requests where request_id = ${id}`);
    const attempts = logged?.attempts as { provider: string; status: number }[];
    // groq failed twice (one retry) before the fallback model answered: the log keeps both attempts.
    expect(attempts.map((attempt) => [attempt.provider, attempt.status])).toEqual([
      ["groq", 500],
      ["groq", 500],
    ]);
  });

  it("answers 502 listing every attempt when all fail, and logs the attempts", async () => {
    const account = await registerAccount();
    const response = await call("/v1/chat/completions", {
      method: "POST",
      key: account.apiKey,
      json: {
        model: "mistral/fixture:openai/chat-completion-text?fail_on=mistral&case=allfail",
        models: ["huggingface/fixture:openai/chat-completion-text?fail_on=huggingface&case=allfail2"],
        messages: [{ role: "user", content: "x" }],
      },
    });
    expect(response.status).toBe(502);
    const body = await errorOf(response);
    expect(body.error.code).toBe("all_providers_failed");
    expect(body.error.message).toContain("mistral/");
    expect(body.error.message).toContain("huggingface/");
    const id = response.headers.get("x-request-id") ?? "";
    const row = await eventually(async () => {
      const [found] = await execute(
        sql`select status, http_status, error_message from chat_completion_requests where request_id = ${id}`,
      );
      expect(found).toBeDefined();
      return found as Record<string, unknown>;
    });
    expect(row).toMatchObject({ status: "failed", http_status: 502 });
    expect(String(row.error_message)).toContain("huggingface/");
  });

  it("uses OpenRouter-style provider order without fallbacks", async () => {
    const account = await registerAccount();
    const response = await call("/v1/chat/completions", {
      method: "POST",
      key: account.apiKey,
      json: {
        model: "fixture:openai/chat-completion-text?case=order",
        provider: { order: ["deepseek", "groq"], allow_fallbacks: false },
        messages: [{ role: "user", content: "x" }],
      },
    });
    expect(response.status).toBe(200);
    expect(await upstreamPaths("fixture:openai/chat-completion-text?case=order")).toEqual([
      "/deepseek/v1/chat/completions",
    ]);
  });
});
