// Account recovery (seed: password reset): an enumeration-safe request, a hashed single-use expiring
// token delivered through the Resend-compatible email API (a local fake), and a redemption that
// rotates the primary API key in one statement.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { execute, registerAccount, type TestAccount, uniqueName } from "../support/accounts";
import { eventually } from "../support/eventually";
import { call, errorOf, uniqueIp } from "../support/gateway";

interface SentEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

const requested = { message: "If an account with that email exists, a password reset link has been sent." };

async function sentEmails(): Promise<SentEmail[]> {
  return (await (await fetch(`${env.TEST_FAKE_EMAIL_URL}/emails`)).json()) as SentEmail[];
}

async function emailTo(address: string): Promise<SentEmail> {
  return eventually(async () => {
    const email = (await sentEmails()).find((sent) => sent.to.includes(address));
    if (!email) throw new Error(`no email to ${address} yet`);
    return email;
  });
}

function tokenIn(email: SentEmail): string {
  const link = /https:\/\/app\.test\.example\/recover\?token=([\w-]+)/.exec(email.text);
  if (!link?.[1]) throw new Error(`no recovery link in: ${email.text}`);
  return link[1];
}

const requestRecovery = (email: string, ip = uniqueIp()) =>
  call(`/auth/password-reset?email=${encodeURIComponent(email)}`, {
    method: "POST",
    headers: { "cf-connecting-ip": ip },
  });
const redeem = (token: string, ip = uniqueIp()) =>
  call("/auth/reset-password", { method: "POST", json: { token }, headers: { "cf-connecting-ip": ip } });

async function recoveryTokenFor(account: TestAccount): Promise<string> {
  const response = await requestRecovery(account.email);
  expect(response.status).toBe(200);
  return tokenIn(await emailTo(account.email));
}

describe("requesting recovery", () => {
  it("emails a link whose token is stored only as its hash, and answers the same for an unknown email", async () => {
    const unknown = `${uniqueName("nobody")}@example.com`;
    const missing = await requestRecovery(unknown);
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual(requested);

    const account = await registerAccount();
    const known = await requestRecovery(account.email);
    expect(known.status).toBe(200);
    expect(await known.json()).toEqual(requested);

    const email = await emailTo(account.email);
    expect(email.from).toContain("@");
    expect(email.subject).toMatch(/recover/i);
    const token = tokenIn(email);
    expect(email.html).toContain(token);
    const rows = await execute(
      sql`select token_hash, used, expires_at > now() + interval '55 minutes' as fresh from password_reset_tokens where user_id = ${account.userId}`,
    );
    expect(rows).toEqual([{ token_hash: await sha256Hex(token), used: false, fresh: true }]);
    // Nothing was sent to (or stored for) the unknown address.
    expect((await sentEmails()).some((sent) => sent.to.includes(unknown))).toBe(false);
  });

  it("accepts the email in a JSON body, case-insensitively", async () => {
    const account = await registerAccount();
    const response = await call("/auth/password-reset", {
      method: "POST",
      json: { email: account.email.toUpperCase() },
    });
    expect(response.status).toBe(200);
    expect(tokenIn(await emailTo(account.email))).toMatch(/^[\w-]{43}$/);
  });

  it("refuses a missing or malformed email with 400", async () => {
    const missing = await call("/auth/password-reset", { method: "POST" });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).error.param).toBe("email");
    const malformed = await requestRecovery("not-an-email");
    expect(malformed.status).toBe(400);
  });

  it("still answers 200 when the email service is down (nothing is revealed; the failure is logged)", async () => {
    const account = await registerAccount();
    await fetch(`${env.TEST_FAKE_EMAIL_URL}/__fail-emails`, { method: "POST", body: "true" });
    try {
      const response = await requestRecovery(account.email);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(requested);
      await eventually(async () => {
        const rows = await execute(
          sql`select count(*)::int as n from password_reset_tokens where user_id = ${account.userId}`,
        );
        expect(rows[0]?.n).toBe(1);
      });
    } finally {
      await fetch(`${env.TEST_FAKE_EMAIL_URL}/__fail-emails`, { method: "POST", body: "false" });
    }
    expect((await sentEmails()).some((sent) => sent.to.includes(account.email))).toBe(false);
  });

  it("sends nothing for a disabled account", async () => {
    const account = await registerAccount();
    await execute(sql`update users set is_active = false where id = ${account.userId}`);
    expect((await requestRecovery(account.email)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await execute(
      sql`select count(*)::int as n from password_reset_tokens where user_id = ${account.userId}`,
    );
    expect(rows[0]?.n).toBe(0);
  });
});

describe("redeeming a recovery token", () => {
  it("rotates the primary key: the old one stops working, the new one works, the token is spent", async () => {
    const account = await registerAccount();
    const token = await recoveryTokenFor(account);
    const response = await redeem(token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { message: string; user_id: number; api_key: string; api_key_id: number };
    expect(body).toMatchObject({ message: "Password reset successfully", user_id: account.userId });
    expect(body.api_key).toMatch(/^gw_live_/);

    expect((await call("/user/balance", { key: account.apiKey })).status).toBe(401);
    expect((await call("/user/balance", { key: body.api_key })).status).toBe(200);
    const keys = await execute(
      sql`select id, is_primary, is_active from api_keys where user_id = ${account.userId} order by id`,
    );
    expect(keys).toEqual([
      { id: account.apiKeyId, is_primary: false, is_active: false },
      { id: body.api_key_id, is_primary: true, is_active: true },
    ]);
    const [audit] = await execute(
      sql`select details from activity where user_id = ${account.userId} and action = 'account_recovered'`,
    );
    expect(audit?.details).toMatchObject({ new_key_id: body.api_key_id, revoked_key_ids: [account.apiKeyId] });

    const again = await redeem(token);
    expect(again.status).toBe(400);
    expect((await errorOf(again)).error).toMatchObject({
      message: "Invalid or expired reset token",
      code: "invalid_reset_token",
    });
  });

  it("answers 400 'Reset token has expired' for an expired token, and for one a newer request superseded", async () => {
    const account = await registerAccount();
    const first = await recoveryTokenFor(account);
    await execute(
      sql`delete from password_reset_tokens where user_id = ${account.userId} and token_hash <> ${await sha256Hex(first)}`,
    );
    // A second request supersedes the first token.
    expect((await requestRecovery(account.email)).status).toBe(200);
    await eventually(async () => {
      const rows = await execute(
        sql`select count(*)::int as n from password_reset_tokens where user_id = ${account.userId}`,
      );
      expect(rows[0]?.n).toBe(2);
    });
    const superseded = await redeem(first);
    expect(superseded.status).toBe(400);
    expect((await errorOf(superseded)).error.message).toBe("Reset token has expired");

    await execute(
      sql`update password_reset_tokens set expires_at = now() - interval '1 minute' where user_id = ${account.userId}`,
    );
    const latest = (await sentEmails()).filter((sent) => sent.to.includes(account.email)).at(-1);
    if (!latest) throw new Error("second email missing");
    const expired = await redeem(tokenIn(latest));
    expect(expired.status).toBe(400);
    expect((await errorOf(expired)).error.code).toBe("reset_token_expired");
    expect((await call("/user/balance", { key: account.apiKey })).status).toBe(200);
  });

  it("lets exactly one of two concurrent redemptions of the same token win", async () => {
    const account = await registerAccount();
    const token = await recoveryTokenFor(account);
    const responses = await Promise.all([redeem(token), redeem(token), redeem(token)]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400, 400]);
    const primaries = await execute(
      sql`select count(*)::int as n from api_keys where user_id = ${account.userId} and is_primary and is_active`,
    );
    expect(primaries[0]?.n).toBe(1);
  });

  it("answers 400 to an unknown token and to none, and takes the token as a query parameter", async () => {
    const unknown = await redeem("x".repeat(43));
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).error.code).toBe("invalid_reset_token");
    const none = await call("/auth/reset-password", { method: "POST" });
    expect(none.status).toBe(400);
    expect((await errorOf(none)).error.param).toBe("token");

    const account = await registerAccount();
    const token = await recoveryTokenFor(account);
    const byQuery = await call(`/auth/reset-password?token=${token}`, { method: "POST" });
    expect(byQuery.status).toBe(200);
  });

  it("shares one per-IP budget between requesting and redeeming (3 per hour)", async () => {
    const ip = uniqueIp();
    const statuses = [
      (await requestRecovery(`${uniqueName()}@example.com`, ip)).status,
      (await redeem("y".repeat(43), ip)).status,
      (await requestRecovery(`${uniqueName()}@example.com`, ip)).status,
      (await redeem("y".repeat(43), ip)).status,
    ];
    expect(statuses).toEqual([200, 400, 200, 429]);
  });
});
