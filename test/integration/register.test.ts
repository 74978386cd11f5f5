import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, registerAccount, uniqueName } from "../support/accounts";
import { call, errorOf, uniqueIp } from "../support/gateway";

describe("POST /auth/register", () => {
  it("creates a trial account with $5, tier basic, a 3-day trial and a working primary key", async () => {
    const username = uniqueName("ada");
    const before = Date.now();
    const response = await call("/auth/register", {
      method: "POST",
      json: { username, email: `${username.toUpperCase()}@Example.com` },
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.api_key).toMatch(/^gw_live_[0-9A-Za-z]{43}$/);
    expect(body).toMatchObject({
      username,
      email: `${username.toLowerCase()}@example.com`,
      credits: 5,
      subscription_status: "trial",
      tier: "basic",
      environment_tag: "live",
      message: "Account created successfully",
    });
    const trialEnds = Date.parse(String(body.trial_expires_at));
    expect(trialEnds - before).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000 - 1000);
    expect(trialEnds - before).toBeLessThanOrEqual(3 * 24 * 3600 * 1000 + 60_000);

    const balance = await call("/user/balance", { key: String(body.api_key) });
    expect(balance.status).toBe(200);
    expect(await balance.json()).toEqual({
      user_id: body.user_id,
      credits: 5,
      subscription_allowance: 0,
      purchased_credits: 5,
      currency: "USD",
    });
  });

  it("stores only the key's hash and prefix, a trial ledger row and an activity row", async () => {
    const account = await registerAccount();
    const [key] = await execute(
      sql`select key_hash, key_prefix, is_primary, name from api_keys where id = ${account.apiKeyId}`,
    );
    expect(key?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key?.key_hash).not.toContain(account.apiKey.slice(8));
    expect(key?.key_prefix).toBe(account.apiKey.slice(0, 14));
    expect(key?.is_primary).toBe(true);
    expect(key?.name).toBe("Primary Key");
    const stored = await execute(sql`select count(*)::int as n from api_keys where key_hash = ${account.apiKey}`);
    expect(stored[0]?.n).toBe(0);

    const ledger = await execute(
      sql`select amount, type, balance_before, balance_after, idempotency_key from credit_transactions where user_id = ${account.userId}`,
    );
    expect(ledger).toEqual([
      {
        amount: "5.000000000",
        type: "trial",
        balance_before: "0.000000000",
        balance_after: "5.000000000",
        idempotency_key: `signup:${account.userId}`,
      },
    ]);
    const activity = await execute(sql`select action, details from activity where user_id = ${account.userId}`);
    expect(activity).toHaveLength(1);
    expect(activity[0]?.action).toBe("user_registered");
  });

  it("refuses a duplicate email with 400 and writes nothing", async () => {
    const first = await registerAccount();
    const username = uniqueName();
    const response = await call("/auth/register", {
      method: "POST",
      json: { username, email: first.email.toUpperCase() },
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      error: {
        message: "User with this email already exists",
        type: "invalid_request_error",
        code: "duplicate_account",
        param: "email",
      },
    });
    expect(await execute(sql`select id from users where username = ${username}`)).toEqual([]);
  });

  it("refuses a duplicate username, whatever its case", async () => {
    const first = await registerAccount();
    const response = await call("/auth/register", {
      method: "POST",
      json: { username: first.username.toUpperCase(), email: `${uniqueName()}@example.com` },
    });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.error.message).toBe("Username already taken");
    expect(body.error.param).toBe("username");
  });

  it("marks throwaway-email signups as bots (built-in and configured domains)", async () => {
    for (const domain of ["mailinator.com", "throwaway.example", "eu.mailinator.com"]) {
      const username = uniqueName("bot");
      const response = await call("/auth/register", {
        method: "POST",
        json: { username, email: `${username}@${domain}` },
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { subscription_status: string; user_id: number };
      expect(body.subscription_status).toBe("bot");
      const [row] = await execute(sql`select subscription_status from users where id = ${body.user_id}`);
      expect(row?.subscription_status).toBe("bot");
    }
  });

  it("refuses blocked email domains", async () => {
    const username = uniqueName();
    const response = await call("/auth/register", {
      method: "POST",
      json: { username, email: `${username}@blocked.example` },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error).toMatchObject({ code: "email_not_allowed", param: "email" });
  });

  it.each([
    [{ email: "x@example.com" }, "username"],
    [{ username: "ab", email: "x@example.com" }, "username"],
    [{ username: "has space", email: "x@example.com" }, "username"],
    [{ username: "valid_name" }, "email"],
    [{ username: "valid_name", email: "not-an-email" }, "email"],
    [{ username: "valid_name", email: "x@example.com", environment_tag: "prod" }, "environment_tag"],
    [{ username: "valid_name", email: "x@example.com", key_name: "" }, "key_name"],
  ])("rejects %j with 400 naming %s", async (json, param) => {
    const response = await call("/auth/register", { method: "POST", json });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.param).toBe(param);
  });

  it("rejects malformed JSON and a missing body", async () => {
    const malformed = await call("/auth/register", {
      method: "POST",
      body: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).error.code).toBe("invalid_json");
    const missing = await call("/auth/register", { method: "POST" });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).error.type).toBe("invalid_request_error");
  });

  it("limits registrations per client IP (3 per hour in this run) with Retry-After", async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const username = uniqueName("rl");
      const response = await call("/auth/register", {
        method: "POST",
        json: { username, email: `${username}@example.com` },
        headers: { "cf-connecting-ip": ip },
      });
      statuses.push(response.status);
      limited = response;
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(limited as Response)).error).toMatchObject({
      type: "rate_limit_error",
      code: "rate_limit_exceeded",
    });
    // Another IP is unaffected.
    const other = await registerAccount();
    expect(other.apiKey).toMatch(/^gw_live_/);
  });
});
