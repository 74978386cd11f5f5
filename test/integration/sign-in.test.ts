// POST /auth: identity tokens verified against the issuer's JWKS (a local fake), find-or-create by
// subject, linking by verified email only, sign-in keys, and every refusal.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/env";
import { ApiError } from "../../src/lib/errors";
import { verifyIdentityToken } from "../../src/lib/identity-token";
import { execute, registerAccount, uniqueName } from "../support/accounts";
import { call, errorOf, uniqueIp } from "../support/gateway";
import { identityToken, uniqueSubject } from "../support/identity-tokens";

interface LoginBody {
  success: boolean;
  message: string;
  user_id: number;
  username: string;
  api_key: string | null;
  api_key_id: number | null;
  api_key_kind: "primary" | "sign_in" | null;
  api_key_expires_at: string | null;
  auth_method: string;
  privy_user_id: string;
  is_new_user: boolean;
  display_name: string | null;
  email: string;
  phone_number: string | null;
  credits: number;
  subscription_status: string;
  tier: string;
  tier_display_name: string;
  trial_expires_at: string | null;
  subscription_allowance: number;
  purchased_credits: number;
  total_credits: number;
}

const login = (json: unknown, headers: Record<string, string> = {}) => call("/auth", { method: "POST", json, headers });

async function signIn(token: string, extra: Record<string, unknown> = {}): Promise<LoginBody> {
  const response = await login({ token, ...extra });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as LoginBody;
}

const statusWithKey = async (key: string) => (await call("/user/balance", { key })).status;

describe("POST /auth: a new identity", () => {
  it("creates the account with its primary key, signup credits (in cents) and a trial", async () => {
    const subject = uniqueSubject();
    const email = `${uniqueName("signin")}@example.com`;
    const body = await signIn(await identityToken(subject, { claims: { email, email_verified: true, name: "Ada L" } }));

    expect(body).toMatchObject({
      success: true,
      message: "Account created successfully",
      is_new_user: true,
      api_key_kind: "primary",
      api_key_expires_at: null,
      privy_user_id: subject,
      email,
      display_name: "Ada L",
      auth_method: "email",
      credits: 5,
      subscription_status: "trial",
      tier: "basic",
      tier_display_name: "Basic",
      subscription_allowance: 0,
      purchased_credits: 500,
      total_credits: 500,
    });
    expect(body.username).toBe("Ada_L");
    expect(Date.parse(body.trial_expires_at ?? "")).toBeGreaterThan(Date.now() + 2 * 86_400_000);
    expect(body.api_key).toMatch(/^gw_live_/);
    expect(await statusWithKey(body.api_key ?? "")).toBe(200);

    const [user] = await execute(sql`select auth_subject, email from users where id = ${body.user_id}`);
    expect(user).toEqual({ auth_subject: subject, email });
    const actions = await execute(sql`select action from activity where user_id = ${body.user_id} order by id`);
    expect(actions.map((row) => row.action)).toEqual(["user_registered", "user_login"]);
  });

  it("gives distinct usernames to identities with the same name, and a test key for development", async () => {
    const name = `Same Name ${uniqueName("n")}`;
    const first = await signIn(await identityToken(uniqueSubject(), { claims: { name } }));
    const second = await signIn(await identityToken(uniqueSubject(), { claims: { name } }), {
      environment_tag: "development",
    });
    expect(first.username).not.toBe(second.username);
    expect(second.username.startsWith(first.username)).toBe(true);
    expect(second.api_key).toMatch(/^gw_test_/);
  });

  it("without an email claim uses an undeliverable address and the phone method", async () => {
    const body = await signIn(await identityToken(uniqueSubject(), { claims: { phone_number: "+15550100" } }));
    expect(body.email).toMatch(/@sign-in\.invalid$/);
    expect(body.auth_method).toBe("phone");
    expect(body.phone_number).toBe("+15550100");
  });

  it("marks a throwaway email as bot and refuses a blocked domain", async () => {
    const bot = await signIn(
      await identityToken(uniqueSubject(), { claims: { email: `${uniqueName()}@throwaway.example` } }),
    );
    expect(bot.subscription_status).toBe("bot");
    const blocked = await login({
      token: await identityToken(uniqueSubject(), { claims: { email: `${uniqueName()}@blocked.example` } }),
    });
    expect(blocked.status).toBe(400);
    expect((await errorOf(blocked)).error.code).toBe("email_not_allowed");
  });
});

describe("POST /auth: a returning identity", () => {
  it("issues a fresh sign-in key each time, revoking the previous one but never the primary key", async () => {
    const subject = uniqueSubject();
    const created = await signIn(await identityToken(subject, { claims: { email: `${uniqueName()}@example.com` } }));
    const first = await signIn(await identityToken(subject));
    expect(first).toMatchObject({
      message: "Login successful",
      is_new_user: false,
      user_id: created.user_id,
      api_key_kind: "sign_in",
    });
    const expires = Date.parse(first.api_key_expires_at ?? "");
    expect(expires).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(expires).toBeLessThan(Date.now() + 31 * 86_400_000);
    expect(await statusWithKey(first.api_key ?? "")).toBe(200);

    const second = await signIn(await identityToken(subject));
    expect(second.api_key).not.toBe(first.api_key);
    expect(await statusWithKey(second.api_key ?? "")).toBe(200);
    expect(await statusWithKey(first.api_key ?? "")).toBe(401);
    expect(await statusWithKey(created.api_key ?? "")).toBe(200);

    const logins = await execute(
      sql`select count(*)::int as n from activity where user_id = ${created.user_id} and action = 'user_login'`,
    );
    expect(logins[0]?.n).toBe(3);
  });

  it("issues no key when auto_create_api_key is false, and still records the login", async () => {
    const subject = uniqueSubject();
    const created = await signIn(await identityToken(subject));
    const body = await signIn(await identityToken(subject), { auto_create_api_key: false });
    expect(body).toMatchObject({ api_key: null, api_key_id: null, api_key_kind: null, user_id: created.user_id });
    const keys = await execute(sql`select count(*)::int as n from api_keys where user_id = ${created.user_id}`);
    expect(keys[0]?.n).toBe(1);
  });

  it("links an account registered by email when the token's email is verified, and only then", async () => {
    const account = await registerAccount();
    const unverified = await login({
      token: await identityToken(uniqueSubject(), { claims: { email: account.email, email_verified: false } }),
    });
    expect(unverified.status).toBe(409);
    expect((await errorOf(unverified)).error.code).toBe("account_exists");

    const subject = uniqueSubject();
    const linked = await signIn(
      await identityToken(subject, { claims: { email: account.email.toUpperCase(), email_verified: true } }),
    );
    expect(linked).toMatchObject({ is_new_user: false, user_id: account.userId, username: account.username });
    // A second identity with the same verified email cannot take the account over.
    const other = await login({
      token: await identityToken(uniqueSubject(), { claims: { email: account.email, email_verified: true } }),
    });
    expect(other.status).toBe(409);
    const [user] = await execute(sql`select auth_subject from users where id = ${account.userId}`);
    expect(user?.auth_subject).toBe(subject);
  });

  it("refuses a disabled account with 403", async () => {
    const subject = uniqueSubject();
    const created = await signIn(await identityToken(subject));
    await execute(sql`update users set is_active = false where id = ${created.user_id}`);
    const response = await login({ token: await identityToken(subject) });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).error.code).toBe("account_disabled");
  });
});

describe("POST /auth: tokens that do not verify", () => {
  it.each([
    ["signed by an unpublished key", { foreignKey: true }],
    ["from another issuer", { issuer: "https://evil.example" }],
    ["for another audience", { audience: "someone-else" }],
    ["expired", { expiresIn: Math.floor(Date.now() / 1000) - 3600 }],
  ])("answers 401 to a token %s", async (_, options) => {
    const response = await login({ token: await identityToken(uniqueSubject(), options) });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).error.code).toBe("invalid_identity_token");
  });

  it("answers 401 to a token without a subject and to garbage", async () => {
    for (const token of [await identityToken(null), "not-a-jwt-at-all-but-long-enough"]) {
      const response = await login({ token });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).error.type).toBe("authentication_error");
    }
  });

  it("answers 400 without a token", async () => {
    const response = await login({ user: { id: "did:privy:x" } });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.param).toBe("token");
  });

  it("is 503 when sign-in is not configured or the key set cannot be fetched", async () => {
    const config = readConfig(env);
    const token = await identityToken(uniqueSubject());
    const unconfigured = await verifyIdentityToken({ ...config, AUTH_JWKS_URL: undefined }, token).catch((e) => e);
    expect(unconfigured).toBeInstanceOf(ApiError);
    expect(unconfigured).toMatchObject({ status: 503, code: "sign_in_not_configured" });
    const unreachable = await verifyIdentityToken(
      { ...config, AUTH_JWKS_URL: "http://127.0.0.1:9/jwks.json" },
      token,
    ).catch((e) => e);
    expect(unreachable).toMatchObject({ status: 503, code: "identity_provider_unavailable" });
  });

  it("limits attempts per client IP (10 per 15 minutes)", async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push((await login({ token: "x".repeat(40) }, { "cf-connecting-ip": ip })).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});
