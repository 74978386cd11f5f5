// Per-key rate limits: the middleware on a probe route and the admin endpoints, mounted on the real
// app here (the lead wires them into the inference routes), against the local Postgres and Upstash bridge.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { readConfig } from "../../src/env";
import { checkRequestLimits, effectiveLimits, recordTokenUsage } from "../../src/gateway/rate-limits";
import { redisClient } from "../../src/lib/redis";
import { clearAuthCache, requireApiKey } from "../../src/middleware/auth";
import { keyRateLimit } from "../../src/middleware/key-rate-limit";
import { adminLimitRoutes } from "../../src/routes/admin/limits";
import { execute, makeAdmin, registerAccount, type TestAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { eventually } from "../support/eventually";
import { errorOf, origin } from "../support/gateway";

const app = createApp();
app.route("/", adminLimitRoutes);
app.post("/probe", requireApiKey({ scope: "inference" }), keyRateLimit, (c) => c.json({ ok: true }));

interface SendOptions {
  method?: string;
  key?: string;
  json?: unknown;
  headers?: Record<string, string>;
  bindings?: Record<string, string>;
}

async function send(path: string, options: SendOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.key) headers.set("authorization", `Bearer ${options.key}`);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.json);
  }
  const ctx = createExecutionContext();
  const request = new Request(`${origin}${path}`, { method: options.method ?? "GET", headers, body });
  const response = await app.fetch(request, options.bindings ? { ...env, ...options.bindings } : env, ctx);
  // Refunds and the pool's closing run in waitUntil: let them finish before the next step.
  await waitOnExecutionContext(ctx);
  return response;
}

const probe = (account: TestAccount, options: SendOptions = {}) =>
  send("/probe", { method: "POST", key: account.apiKey, ...options });

function setLimits(apiKey: string, rateLimits: Record<string, unknown>, adminKey = TEST_ADMIN_API_KEY) {
  return send("/admin/limit", { method: "POST", key: adminKey, json: { api_key: apiKey, rate_limits: rateLimits } });
}

/** Windows restart on minute (and hour, day) boundaries: run a short scenario well inside one minute. */
async function awayFromMinuteEdge(needMs = 10_000): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - needMs) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 250));
}

const rateHeaders = (response: Response) => ({
  limit: response.headers.get("x-ratelimit-limit"),
  remaining: response.headers.get("x-ratelimit-remaining"),
  reset: Number(response.headers.get("x-ratelimit-reset")),
});

beforeAll(async () => {
  // A real Redis outlives the run while key ids restart with the fresh database: start from zero.
  const redis = redisClient(readConfig(env));
  const stale = (await redis?.keys("gw:key:*")) ?? [];
  if (redis && stale.length > 0) await redis.del(...stale);
});

describe("per-key request limits", () => {
  it("refuses the request after the limit with 429, Retry-After and the x-ratelimit headers", async () => {
    const account = await registerAccount();
    const set = await setLimits(account.apiKey, { requests_per_minute: 3 });
    expect(set.status).toBe(200);
    await awayFromMinuteEdge();

    for (const remaining of ["2", "1", "0"]) {
      const allowed = await probe(account);
      expect(allowed.status).toBe(200);
      const headers = rateHeaders(allowed);
      expect(headers).toMatchObject({ limit: "3", remaining });
      expect(headers.reset).toBeGreaterThanOrEqual(1);
      expect(headers.reset).toBeLessThanOrEqual(60);
    }

    const refused = await probe(account);
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).error).toEqual({
      message: "Rate limit exceeded: 3 requests per minute for this API key",
      type: "rate_limit_error",
      code: "rate_limit_exceeded",
      param: null,
    });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(rateHeaders(refused)).toMatchObject({ limit: "3", remaining: "0" });
  });

  it("does not count refused requests against the longer windows", async () => {
    const account = await registerAccount();
    await setLimits(account.apiKey, { requests_per_minute: 3, requests_per_hour: 4 });
    await awayFromMinuteEdge();
    for (let i = 0; i < 3; i++) expect((await probe(account)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await probe(account)).status).toBe(429);

    // Had the refusals counted, the hour would be full; it holds 3 of 4.
    await setLimits(account.apiKey, { requests_per_minute: 100, requests_per_hour: 4 });
    const fourth = await probe(account);
    expect(fourth.status).toBe(200);
    expect(rateHeaders(fourth)).toMatchObject({ limit: "4", remaining: "0" });
    const fifth = await probe(account);
    expect(fifth.status).toBe(429);
    expect((await errorOf(fifth)).error.message).toBe("Rate limit exceeded: 4 requests per hour for this API key");
  });

  it("applies the tier's defaults when the key has no override", async () => {
    const account = await registerAccount();
    const basic = await probe(account);
    expect(basic.status).toBe(200);
    expect(rateHeaders(basic)).toMatchObject({ limit: "60", remaining: "59" });

    await execute(sql`update users set tier = 'pro' where id = ${account.userId}`);
    clearAuthCache(); // the tier travels with the cached identity
    const pro = await probe(account);
    expect(rateHeaders(pro)).toMatchObject({ limit: "300" });
  });

  it("checks all windows in one Upstash round trip", async () => {
    const account = await registerAccount();
    const config = readConfig(env);
    const redis = redisClient(config);
    const limits = effectiveLimits("basic");
    // The first call may load the Lua scripts into Redis (NOSCRIPT, then EVAL): warm up.
    await checkRequestLimits(config, account.apiKeyId, limits);
    const pipelinesSent = () => Number(Reflect.get(redis ?? {}, "pipelineCounter"));
    const before = pipelinesSent();
    const decision = await checkRequestLimits(config, account.apiKeyId, limits);
    expect(decision.allowed).toBe(true);
    expect(pipelinesSent() - before).toBe(1);
  });
});

describe("per-key token limits", () => {
  it("refuses the next request once settled tokens fill a window", async () => {
    const account = await registerAccount();
    await setLimits(account.apiKey, { tokens_per_minute: 100 });
    await awayFromMinuteEdge();
    expect((await probe(account)).status).toBe(200);

    await recordTokenUsage(readConfig(env), account.apiKeyId, 60);
    expect((await probe(account)).status).toBe(200);
    await recordTokenUsage(readConfig(env), account.apiKeyId, 60);

    const refused = await probe(account);
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).error).toMatchObject({
      message: "Rate limit exceeded: 100 tokens per minute for this API key",
      code: "token_rate_limit_exceeded",
    });
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // The refused request was not counted: two of 60 requests this minute.
    expect(rateHeaders(refused)).toMatchObject({ limit: "60", remaining: "58" });
  });

  it("names the window that frees up last when several are used up", async () => {
    const account = await registerAccount();
    await setLimits(account.apiKey, { tokens_per_minute: 100, tokens_per_hour: 5_000, tokens_per_day: 120 });
    await awayFromMinuteEdge();
    await recordTokenUsage(readConfig(env), account.apiKeyId, 150);
    const refused = await probe(account);
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).error.message).toBe("Rate limit exceeded: 120 tokens per day for this API key");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("when Upstash is unreachable", () => {
  const unreachable = { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1" };

  it("lets requests through, beyond the key's limit", async () => {
    const account = await registerAccount();
    await setLimits(account.apiKey, { requests_per_minute: 1 });
    for (let i = 0; i < 3; i++) {
      const response = await probe(account, { bindings: unreachable });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-ratelimit-limit")).toBeNull();
    }
  });

  it("says so in Sentry", async () => {
    const account = await registerAccount();
    const requestId = `rate-limit-open-${Date.now()}`;
    const response = await probe(account, {
      bindings: { ...unreachable, SENTRY_DSN: env.TEST_SENTRY_DSN },
      headers: { "x-request-id": requestId },
    });
    expect(response.status).toBe(200);
    await eventually(async () => {
      const envelopes = (await (await fetch(env.TEST_SENTRY_EVENTS_URL)).json()) as string[];
      expect(envelopes.some((text) => text.includes(requestId))).toBe(true);
    });
  });
});

describe("admin rate-limit endpoints", () => {
  it("stores the seeds' defaults for omitted limits and answers in the seeds' shape", async () => {
    const account = await registerAccount();
    const response = await setLimits(account.apiKey, {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "success",
      message: `Rate limits updated for user ${account.apiKey.slice(0, 10)}...`,
      api_key_id: account.apiKeyId,
      rate_limits: {
        requests_per_minute: 60,
        requests_per_hour: 1000,
        requests_per_day: 10000,
        tokens_per_minute: 10000,
        tokens_per_hour: 100000,
        tokens_per_day: 1000000,
        burst_limit: 100,
        concurrency_limit: 50,
      },
      effective_limits: {
        requests_per_minute: 60,
        requests_per_hour: 1000,
        requests_per_day: 10000,
        tokens_per_minute: 10000,
        tokens_per_hour: 100000,
        tokens_per_day: 1000000,
      },
    });
  });

  it("reads back the effective limits: null falls back to the tier's default", async () => {
    const account = await registerAccount();
    const query = `/admin/limit?api_key=${encodeURIComponent(account.apiKey)}`;
    const before = await send(query, { key: TEST_ADMIN_API_KEY });
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({ overridden: false, tier: "basic", override: null });

    await setLimits(account.apiKey, { requests_per_minute: 7, requests_per_hour: null });
    const after = await send(query, { key: TEST_ADMIN_API_KEY });
    expect(await after.json()).toMatchObject({
      api_key_id: account.apiKeyId,
      overridden: true,
      rate_limits: { requests_per_minute: 7, requests_per_hour: 1000, tokens_per_minute: 10000 },
      override: { requests_per_minute: 7, requests_per_hour: null },
    });

    const removed = await send(query, { method: "DELETE", key: TEST_ADMIN_API_KEY });
    expect(await removed.json()).toMatchObject({ removed: true, rate_limits: { tokens_per_minute: 100000 } });
    expect(await (await send(query, { key: TEST_ADMIN_API_KEY })).json()).toMatchObject({ overridden: false });
  });

  it("answers 400 for an unknown key on POST and 404 on GET", async () => {
    const unknownKey = "gw_live_0000000000000000000000000000000000000000000";
    const set = await setLimits(unknownKey, { requests_per_minute: 5 });
    expect(set.status).toBe(400);
    expect((await errorOf(set)).error).toMatchObject({ message: "API key not found", code: "api_key_not_found" });
    const get = await send(`/admin/limit?api_key=${unknownKey}`, { key: TEST_ADMIN_API_KEY });
    expect(get.status).toBe(404);
    expect((await send("/admin/limit", { key: TEST_ADMIN_API_KEY })).status).toBe(400);
  });

  it.each([
    ["zero", { requests_per_minute: 0 }, "rate_limits.requests_per_minute"],
    ["negative", { tokens_per_day: -5 }, "rate_limits.tokens_per_day"],
    ["fractional", { requests_per_hour: 1.5 }, "rate_limits.requests_per_hour"],
    ["a string", { requests_per_minute: "60" }, "rate_limits.requests_per_minute"],
    ["beyond an integer column", { tokens_per_hour: 2 ** 31 }, "rate_limits.tokens_per_hour"],
    ["a zero concurrency limit", { concurrency_limit: 0 }, "rate_limits.concurrency_limit"],
    ["a misspelt field", { request_per_minute: 10 }, "rate_limits"],
  ])("refuses %s with 400", async (_, rateLimits, param) => {
    const account = await registerAccount();
    const response = await setLimits(account.apiKey, rateLimits);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error).toMatchObject({ code: "invalid_request", param });
  });

  it("a null concurrency limit is stored as no per-key gate", async () => {
    const account = await registerAccount();
    const set = await setLimits(account.apiKey, { requests_per_minute: 500, concurrency_limit: null });
    expect(set.status).toBe(200);
    const get = await send(`/admin/limit?api_key=${account.apiKey}`, { key: TEST_ADMIN_API_KEY });
    expect(await get.json()).toMatchObject({ overridden: true, override: { concurrency_limit: null } });
  });

  it("needs an admin: 401 without a key, 403 for a user's key, 200 for an admin user's key", async () => {
    const account = await registerAccount();
    const missing = await send("/admin/limit", {
      method: "POST",
      json: { api_key: account.apiKey, rate_limits: {} },
    });
    expect(missing.status).toBe(401);
    const asUser = await setLimits(account.apiKey, {}, account.apiKey);
    expect(asUser.status).toBe(403);
    expect((await errorOf(asUser)).error.code).toBe("admin_required");
    expect((await send("/admin/clear-rate-limit-cache", { method: "POST", key: account.apiKey })).status).toBe(403);

    const admin = await registerAccount();
    await makeAdmin(admin.userId);
    clearAuthCache();
    expect((await setLimits(account.apiKey, {}, admin.apiKey)).status).toBe(200);
  });

  it("keeps a key's limits cached until the cache is cleared", async () => {
    const account = await registerAccount();
    await setLimits(account.apiKey, { requests_per_minute: 50 });
    expect(rateHeaders(await probe(account)).limit).toBe("50");

    // A change behind the API's back is not seen while the isolate's cached copy lives...
    await execute(sql`update rate_limit_configs set requests_per_minute = 40 where api_key_id = ${account.apiKeyId}`);
    expect(rateHeaders(await probe(account)).limit).toBe("50");

    const cleared = await send("/admin/clear-rate-limit-cache", { method: "POST", key: TEST_ADMIN_API_KEY });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toMatchObject({ status: "success", message: expect.stringContaining("cleared") });
    // ...and is once it is cleared.
    expect(rateHeaders(await probe(account)).limit).toBe("40");
  });

  it("are in the OpenAPI document", async () => {
    const response = await send("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths["/admin/limit"] ?? {}).sort()).toEqual(["delete", "get", "post"]);
    expect(document.paths["/admin/clear-rate-limit-cache"]).toHaveProperty("post");
  });
});
