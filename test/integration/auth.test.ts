import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { requireAdmin } from "../../src/middleware/auth";
import { createKey, execute, makeAdmin, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { eventually } from "../support/eventually";
import { call, errorOf, origin } from "../support/gateway";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("API-key authentication", () => {
  it("needs a key: 401 with a clear message", async () => {
    const response = await call("/user/profile");
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      error: {
        message: "Authorization header is required (Bearer <api key>)",
        type: "authentication_error",
        code: "missing_api_key",
        param: null,
      },
    });
    const notBearer = await call("/user/profile", { headers: { authorization: "Basic abc" } });
    expect(notBearer.status).toBe(401);
  });

  it("refuses an unknown key with 401, also on repeat (negative cache)", async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await call("/user/profile", { key: "gw_live_0000000000000000000000000000000000000000000" });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).error.code).toBe("invalid_api_key");
    }
  });

  it("accepts the key as Bearer and as Anthropic's x-api-key", async () => {
    const account = await registerAccount();
    for (const keyHeader of ["authorization", "x-api-key"] as const) {
      const response = await call("/user/profile", { key: account.apiKey, keyHeader });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { user_id: number }).user_id).toBe(account.userId);
    }
  });

  it("counts requests and records last use", async () => {
    const account = await registerAccount();
    await call("/user/profile", { key: account.apiKey });
    await call("/user/balance", { key: account.apiKey });
    // Bookkeeping of uncapped keys happens after the response.
    await eventually(async () => {
      const [row] = await execute(sql`select requests_used, last_used_at from api_keys where id = ${account.apiKeyId}`);
      expect(row?.requests_used).toBe(2);
      expect(row?.last_used_at).not.toBeNull();
    });
  });

  it("refuses an expired key with 401", async () => {
    const account = await registerAccount();
    const { id, apiKey } = await createKey(account);
    // Expiry must be in the future at creation; move it into the past afterwards.
    await execute(sql`update api_keys set expires_at = now() - interval '1 minute' where id = ${id}`);
    const response = await call("/user/profile", { key: apiKey });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({ error: { message: "API key expired", code: "expired_api_key" } });
  });

  it("enforces max_requests exactly, with 429", async () => {
    const account = await registerAccount();
    const { apiKey, id } = await createKey(account, { max_requests: 3 });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) statuses.push((await call("/user/balance", { key: apiKey })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await call("/user/balance", { key: apiKey });
    expect((await errorOf(limited)).error).toMatchObject({
      type: "rate_limit_error",
      code: "key_request_limit_reached",
    });
    const [row] = await execute(sql`select requests_used from api_keys where id = ${id}`);
    expect(row?.requests_used).toBe(3);
  });

  it("enforces the IP allowlist (addresses and CIDR ranges) with 403", async () => {
    const account = await registerAccount();
    const { apiKey } = await createKey(account, { ip_allowlist: ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"] });
    const from = (ip: string) => call("/user/profile", { key: apiKey, headers: { "cf-connecting-ip": ip } });
    expect((await from("203.0.113.7")).status).toBe(200);
    expect((await from("198.51.100.200")).status).toBe(200);
    expect((await from("2001:db8:1::5")).status).toBe(200);
    const refused = await from("203.0.113.8");
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).error).toMatchObject({ type: "permission_error", code: "ip_not_allowed" });
    expect((await from("2001:db9::1")).status).toBe(403);
  });

  it("enforces referrer domains (domain and subdomains) with 403", async () => {
    const account = await registerAccount();
    const { apiKey } = await createKey(account, { domain_referrers: ["example.com"] });
    const withReferrer = (headers: Record<string, string>) => call("/user/profile", { key: apiKey, headers });
    expect((await withReferrer({ referer: "https://example.com/page" })).status).toBe(200);
    expect((await withReferrer({ referer: "https://app.example.com/" })).status).toBe(200);
    expect((await withReferrer({ origin: "https://example.com" })).status).toBe(200);
    const wrong = await withReferrer({ referer: "https://notexample.com/" });
    expect(wrong.status).toBe(403);
    expect((await errorOf(wrong)).error.code).toBe("referrer_not_allowed");
    expect((await withReferrer({})).status).toBe(403);
  });

  it("enforces key scopes with 403", async () => {
    const account = await registerAccount();
    const { apiKey } = await createKey(account, { scopes: ["inference"] });
    const response = await call("/user/profile", { key: apiKey });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).error).toMatchObject({
      code: "insufficient_scope",
      message: "This API key lacks the 'account' scope",
    });
  });

  it("answers 402 on account routes once a trial has expired", async () => {
    const account = await registerAccount();
    await execute(sql`update users set trial_expires_at = now() - interval '1 hour' where id = ${account.userId}`);
    // The user row is cached with the key; wait out the 1 s TTL of this run.
    await sleep(1_100);
    const response = await call("/user/balance", { key: account.apiKey });
    expect(response.status).toBe(402);
    expect(await errorOf(response)).toMatchObject({ error: { type: "payment_required", code: "trial_expired" } });
    // A paying user with a past trial date is fine.
    await execute(sql`update users set subscription_status = 'active' where id = ${account.userId}`);
    await sleep(1_100);
    expect((await call("/user/balance", { key: account.apiKey })).status).toBe(200);
  });

  it("refuses keys of a disabled account with 403", async () => {
    const account = await registerAccount();
    await execute(sql`update users set is_active = false where id = ${account.userId}`);
    await sleep(1_100);
    const response = await call("/user/profile", { key: account.apiKey });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).error.code).toBe("account_disabled");
  });

  it("stops a key revoked elsewhere within the cache TTL (1 s in tests, 30 s by default)", async () => {
    const account = await registerAccount();
    const { apiKey, id } = await createKey(account);
    expect((await call("/user/profile", { key: apiKey })).status).toBe(200);
    // Another isolate (or an operator) revokes it: this isolate's cache does not know yet.
    await execute(sql`update api_keys set is_active = false where id = ${id}`);
    const afterTtl = async () => {
      await sleep(1_100);
      return call("/user/profile", { key: apiKey });
    };
    const response = await afterTtl();
    expect(response.status).toBe(401);
    expect((await errorOf(response)).error.code).toBe("revoked_api_key");
  });
});

describe("admin authorisation", () => {
  /** The real app plus one admin-only probe route, the way later admin routes mount requireAdmin. */
  async function callAdminProbe(key: string | undefined): Promise<Response> {
    const app = createApp();
    app.get("/admin/probe", requireAdmin, (c) => c.json({ auth: c.var.auth.kind }));
    const ctx = createExecutionContext();
    const headers: Record<string, string> = { "cf-connecting-ip": "192.0.2.1" };
    if (key) headers.authorization = `Bearer ${key}`;
    const response = await app.fetch(new Request(`${origin}/admin/probe`, { headers }), env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  it("accepts the bootstrap ADMIN_API_KEY", async () => {
    const response = await callAdminProbe(TEST_ADMIN_API_KEY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ auth: "admin_key" });
  });

  it("refuses a near-miss of ADMIN_API_KEY with 401", async () => {
    const response = await callAdminProbe(`${TEST_ADMIN_API_KEY}x`);
    expect(response.status).toBe(401);
  });

  it("accepts users with role admin or is_admin", async () => {
    for (const how of ["role", "is_admin"] as const) {
      const account = await registerAccount();
      await makeAdmin(account.userId, how);
      const response = await callAdminProbe(account.apiKey);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ auth: "user" });
    }
  });

  it("refuses ordinary users with 403 and anonymous callers with 401", async () => {
    const account = await registerAccount();
    const response = await callAdminProbe(account.apiKey);
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({
      error: { message: "Administrator privileges required", code: "admin_required" },
    });
    expect((await callAdminProbe(undefined)).status).toBe(401);
  });
});
