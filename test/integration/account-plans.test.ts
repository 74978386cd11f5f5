// PATCH /admin/users/{id}: an operator changes an account's plan (tier, subscription status, trial
// end, role, enabled), the change is audited, and the gateway enforces it at once in this isolate.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, makeAdmin, registerAccount, type TestAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";

const patch = (userId: number, json: unknown, key = TEST_ADMIN_API_KEY) =>
  call(`/admin/users/${userId}`, { method: "PATCH", key, json });
const chat = (account: TestAccount) =>
  call("/v1/chat/completions", {
    method: "POST",
    key: account.apiKey,
    json: {
      model: "openai/fixture:openai/chat-completion-text?case=plans",
      messages: [{ role: "user", content: "hi" }],
    },
  });
const balance = (account: TestAccount) => call("/user/balance", { key: account.apiKey });

describe("PATCH /admin/users/{id}", () => {
  it("needs an admin", async () => {
    const user = await registerAccount();
    expect((await call(`/admin/users/${user.userId}`, { method: "PATCH", json: { tier: "pro" } })).status).toBe(401);
    expect((await patch(user.userId, { tier: "pro" }, user.apiKey)).status).toBe(403);
  });

  it("ends a trial, converts the account to a paid plan, and audits each change", async () => {
    const user = await registerAccount();
    const expired = await patch(user.userId, { trial_expires_at: new Date(Date.now() - 60_000).toISOString() });
    expect(expired.status).toBe(200);
    expect((await balance(user)).status).toBe(402);
    const refused = await chat(user);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).error.code).toBe("trial_expired");

    const converted = await patch(user.userId, { subscription_status: "active", tier: "pro" });
    expect(converted.status).toBe(200);
    const body = (await converted.json()) as { user: Record<string, unknown>; changes: Record<string, unknown> };
    expect(body.user).toMatchObject({ id: user.userId, subscription_status: "active", tier: "pro" });
    expect(body.changes).toEqual({
      subscription_status: { from: "trial", to: "active" },
      tier: { from: "basic", to: "pro" },
    });
    expect((await balance(user)).status).toBe(200);
    expect((await chat(user)).status).toBe(200);

    const audit = await execute(
      sql`select details from activity where user_id = ${user.userId} and action = 'account_updated' order by id`,
    );
    expect(audit).toHaveLength(2);
    expect(audit[1]?.details).toMatchObject({
      by: "admin:bootstrap",
      before: { tier: "basic", subscription_status: "trial" },
      after: { tier: "pro", subscription_status: "active" },
    });
  });

  it("an inactive subscription stops inference but not the account routes; a disabled account stops both", async () => {
    const user = await registerAccount();
    expect((await patch(user.userId, { subscription_status: "inactive" })).status).toBe(200);
    const refused = await chat(user);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).error.code).toBe("subscription_inactive");
    expect((await balance(user)).status).toBe(200);

    expect((await patch(user.userId, { is_active: false })).status).toBe(200);
    const disabled = await balance(user);
    expect(disabled.status).toBe(403);
    expect((await errorOf(disabled)).error.code).toBe("account_disabled");
    expect((await patch(user.userId, { is_active: true, subscription_status: "active" })).status).toBe(200);
    expect((await chat(user)).status).toBe(200);
  });

  it("makes an admin through the API, who may not lock themselves out", async () => {
    const user = await registerAccount();
    expect((await call("/admin/users/count", { key: user.apiKey })).status).toBe(403);
    expect((await patch(user.userId, { role: "admin" })).status).toBe(200);
    expect((await call("/admin/users/count", { key: user.apiKey })).status).toBe(200);
    for (const change of [{ is_active: false }, { role: "user" }]) {
      const response = await patch(user.userId, change, user.apiKey);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).error.code).toBe("self_lockout");
    }
    const admin = await registerAccount();
    await makeAdmin(admin.userId);
    expect((await patch(user.userId, { role: "user" }, admin.apiKey)).status).toBe(200);
  });

  it.each([
    ["no fields", {}, "no_changes"],
    ["an unknown field", { credits: 100 }, "invalid_request"],
    ["an unknown tier", { tier: "gold" }, "invalid_request"],
    ["a malformed trial end", { trial_expires_at: "tomorrow" }, "invalid_request"],
  ])("refuses %s with 400", async (_, json, code) => {
    const user = await registerAccount();
    const response = await patch(user.userId, json);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.code).toBe(code);
  });

  it("answers 404 for an unknown user", async () => {
    const response = await patch(2_000_000_000, { tier: "pro" });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error.code).toBe("user_not_found");
  });
});
