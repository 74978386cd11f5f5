import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createKey, execute, registerAccount } from "../support/accounts";
import { call, errorOf } from "../support/gateway";

interface KeyView {
  id: number;
  name: string;
  prefix: string;
  is_active: boolean;
  is_primary: boolean;
  scopes: string[];
  ip_allowlist: string[];
  domain_referrers: string[];
  allowed_models: string[];
  max_requests: number | null;
  expires_at: string | null;
  environment_tag: string;
  api_key?: string;
}

describe("GET /user/api-keys", () => {
  it("lists the caller's keys with prefixes, never the keys themselves", async () => {
    const account = await registerAccount();
    const second = await createKey(account, { name: "second" });
    const response = await call("/user/api-keys", { key: account.apiKey });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(account.apiKey);
    expect(text).not.toContain(second.apiKey);
    const body = JSON.parse(text) as { keys: KeyView[]; total: number };
    expect(body.total).toBe(2);
    expect(body.keys.map((key) => [key.name, key.prefix, key.is_primary])).toEqual([
      ["Primary Key", account.apiKey.slice(0, 14), true],
      ["second", second.apiKey.slice(0, 14), false],
    ]);
    expect(body.keys.every((key) => !("api_key" in key))).toBe(true);
  });

  it("shows only the caller's own keys", async () => {
    const alice = await registerAccount();
    const bob = await registerAccount();
    const response = await call("/user/api-keys", { key: bob.apiKey });
    const body = (await response.json()) as { keys: KeyView[] };
    expect(body.keys.map((key) => key.id)).toEqual([bob.apiKeyId]);
    expect(body.keys.map((key) => key.id)).not.toContain(alice.apiKeyId);
  });
});

describe("POST /user/api-keys", () => {
  it("creates a restricted key, returns it once, and it works", async () => {
    const account = await registerAccount();
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const response = await call("/user/api-keys", {
      method: "POST",
      key: account.apiKey,
      json: {
        name: "ci",
        environment_tag: "test",
        scopes: ["account", "inference"],
        allowed_models: ["openai/gpt-4o-mini"],
        ip_allowlist: ["192.0.2.0/24"],
        domain_referrers: ["Example.COM"],
        expires_at: expiresAt,
        max_requests: 100,
      },
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as KeyView;
    expect(created.api_key).toMatch(/^gw_test_[0-9A-Za-z]{43}$/);
    expect(created).toMatchObject({
      name: "ci",
      environment_tag: "test",
      scopes: ["account", "inference"],
      allowed_models: ["openai/gpt-4o-mini"],
      ip_allowlist: ["192.0.2.0/24"],
      domain_referrers: ["example.com"],
      expires_at: expiresAt,
      max_requests: 100,
      is_active: true,
      is_primary: false,
    });
    const use = await call("/user/profile", {
      key: created.api_key,
      headers: { "cf-connecting-ip": "192.0.2.9", referer: "https://example.com/" },
    });
    expect(use.status).toBe(200);
  });

  it.each([
    [{}, "name"],
    [{ name: "" }, "name"],
    [{ name: "x", scopes: ["everything"] }, "scopes.0"],
    [{ name: "x", ip_allowlist: ["300.1.1.1"] }, "ip_allowlist.0"],
    [{ name: "x", ip_allowlist: ["10.0.0.0/33"] }, "ip_allowlist.0"],
    [{ name: "x", domain_referrers: ["https://example.com"] }, "domain_referrers.0"],
    [{ name: "x", expires_at: "tomorrow" }, "expires_at"],
    [{ name: "x", expires_at: "2001-01-01T00:00:00Z" }, "expires_at"],
    [{ name: "x", max_requests: 0 }, "max_requests"],
    [{ name: "x", max_requests: 1.5 }, "max_requests"],
  ])("rejects %j with 400 naming %s", async (json, param) => {
    const account = await registerAccount();
    const response = await call("/user/api-keys", { method: "POST", key: account.apiKey, json });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.param).toBe(param);
  });

  it("caps the number of active keys (4 in this run) with 409", async () => {
    const account = await registerAccount();
    for (let index = 0; index < 3; index++) await createKey(account, { name: `k${index}` });
    const response = await call("/user/api-keys", {
      method: "POST",
      key: account.apiKey,
      json: { name: "one too many" },
    });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).error.code).toBe("too_many_api_keys");
  });
});

describe("DELETE /user/api-keys/{id}", () => {
  it("revokes a key: it stops working at once in this isolate", async () => {
    const account = await registerAccount();
    const { id, apiKey } = await createKey(account);
    expect((await call("/user/profile", { key: apiKey })).status).toBe(200);
    const response = await call(`/user/api-keys/${id}`, { method: "DELETE", key: account.apiKey });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: number; is_active: boolean; revoked_at: string; message: string };
    expect(body).toMatchObject({ id, is_active: false, message: "API key revoked" });
    expect(Date.parse(body.revoked_at)).not.toBeNaN();
    const after = await call("/user/profile", { key: apiKey });
    expect(after.status).toBe(401);
    expect((await errorOf(after)).error.code).toBe("revoked_api_key");
    const [row] = await execute(sql`select is_active, revoked_at from api_keys where id = ${id}`);
    expect(row?.is_active).toBe(false);
    expect(row?.revoked_at).not.toBeNull();
  });

  it("lets a key revoke itself, and answers a repeat with 200", async () => {
    const account = await registerAccount();
    const { id, apiKey } = await createKey(account);
    expect((await call(`/user/api-keys/${id}`, { method: "DELETE", key: apiKey })).status).toBe(200);
    const repeat = await call(`/user/api-keys/${id}`, { method: "DELETE", key: account.apiKey });
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as { message: string }).message).toBe("API key was already revoked");
  });

  it("refuses to revoke the last active key with 409", async () => {
    const account = await registerAccount();
    const response = await call(`/user/api-keys/${account.apiKeyId}`, { method: "DELETE", key: account.apiKey });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).error.code).toBe("last_active_key");
    expect((await call("/user/profile", { key: account.apiKey })).status).toBe(200);
  });

  it("answers 404 for another user's key and leaves it working", async () => {
    const alice = await registerAccount();
    const bob = await registerAccount();
    await createKey(alice);
    const response = await call(`/user/api-keys/${alice.apiKeyId}`, { method: "DELETE", key: bob.apiKey });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error).toMatchObject({ type: "not_found_error", code: "api_key_not_found" });
    expect((await call("/user/profile", { key: alice.apiKey })).status).toBe(200);
  });

  it.each(["abc", "0", "-3", "99999999999"])("rejects the id %s with 400", async (id) => {
    const account = await registerAccount();
    const response = await call(`/user/api-keys/${id}`, { method: "DELETE", key: account.apiKey });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.param).toBe("id");
  });
});

describe("GET /user/profile", () => {
  it("shows the account with balances in USD", async () => {
    const account = await registerAccount();
    const response = await call("/user/profile", { key: account.apiKey });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      user_id: account.userId,
      username: account.username,
      email: account.email,
      role: "user",
      is_admin: false,
      subscription_status: "trial",
      tier: "basic",
      credits: 5,
      subscription_allowance: 0,
      purchased_credits: 5,
    });
  });
});
