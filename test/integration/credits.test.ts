// Admin money movements: grants, adjustments, refunds and bulk grants, each atomic with its ledger
// row, under the per-grant and rolling 24-hour per-admin caps (concurrent grants included).
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { settleInference } from "../../src/db/inference";
import { clearAuthCache } from "../../src/middleware/auth";
import { execute, makeAdmin, registerAccount, type TestAccount, withDatabase } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";

const post = (path: string, json: unknown, key = TEST_ADMIN_API_KEY) => call(path, { method: "POST", key, json });

async function balanceOf(userId: number): Promise<string> {
  const [row] = await execute(
    sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${userId}`,
  );
  return String(row?.balance);
}

/** A fresh admin per test: the daily cap is per admin, and the bootstrap key's budget is shared. */
async function freshAdmin(): Promise<TestAccount> {
  const admin = await registerAccount();
  await makeAdmin(admin.userId);
  clearAuthCache();
  return admin;
}

const reason = "Support ticket 4242: service credit";

describe("credit grants: access and validation", () => {
  it("needs an admin", async () => {
    const user = await registerAccount();
    expect((await call("/credits/add", { method: "POST", json: {} })).status).toBe(401);
    const forbidden = await post("/credits/add", { user_id: user.userId, amount: 1, reason }, user.apiKey);
    expect(forbidden.status).toBe(403);
  });

  it.each([
    ["a short reason", { amount: 1, reason: "too short" }, "reason"],
    ["a zero amount", { amount: 0, reason }, "amount"],
    ["a negative amount", { amount: -5, reason }, "amount"],
    ["more than 9 decimals", { amount: "1.0000000001", reason }, "amount"],
  ])("refuses %s with 400", async (_, fields, param) => {
    const user = await registerAccount();
    const response = await post("/credits/add", { user_id: user.userId, ...fields });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.param).toBe(param);
  });

  it("answers 404 for an unknown user, writing nothing", async () => {
    const response = await post("/credits/add", { user_id: 2_000_000_000, amount: 1, reason });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error.code).toBe("user_not_found");
    const rows = await execute(sql`select 1 from credit_transactions where user_id = 2000000000`);
    expect(rows).toEqual([]);
  });
});

describe("POST /credits/add", () => {
  it("adds exactly the amount with one admin_credit ledger row naming the admin", async () => {
    const admin = await freshAdmin();
    const user = await registerAccount();
    const before = await balanceOf(user.userId);
    const response = await post("/credits/add", { user_id: user.userId, amount: "12.345678901", reason }, admin.apiKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "success", user_id: user.userId, amount_changed: 12.345678901 });
    const [expected] = await execute(sql`select (${before}::numeric + 12.345678901)::text as balance`);
    expect(await balanceOf(user.userId)).toBe(expected?.balance);
    const [ledger] = await execute(sql`select type, amount, balance_before, balance_after, created_by, metadata
      from credit_transactions where id = ${Number(body.transaction_id)}`);
    expect(ledger).toMatchObject({
      type: "admin_credit",
      amount: "12.345678901",
      balance_before: before,
      balance_after: expected?.balance,
      created_by: `admin:${admin.userId}`,
      metadata: { reason, admin_user_id: admin.userId },
    });
  });

  it("refuses a grant over the per-grant cap", async () => {
    const user = await registerAccount();
    const response = await post("/credits/add", { user_id: user.userId, amount: 1000.01, reason });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.code).toBe("grant_limit_exceeded");
  });

  it("refuses what would pass the admin's rolling 24-hour budget, naming what remains", async () => {
    const admin = await freshAdmin();
    const user = await registerAccount();
    for (let grant = 0; grant < 4; grant++) {
      expect((await post("/credits/add", { user_id: user.userId, amount: 1000, reason }, admin.apiKey)).status).toBe(
        200,
      );
    }
    const grant = (amount: number) => post("/credits/add", { user_id: user.userId, amount, reason }, admin.apiKey);
    expect((await grant(999.5)).status).toBe(200);
    const over = await grant(0.75);
    expect(over.status).toBe(400);
    const error = await errorOf(over);
    expect(error.error.code).toBe("daily_grant_limit_exceeded");
    expect(error.error.message).toContain("$0.500000000 remaining");
    expect((await grant(0.5)).status).toBe(200);
    // Refunds do not use the budget.
    expect((await post("/credits/refund", { user_id: user.userId, amount: 10 }, admin.apiKey)).status).toBe(200);
  });

  it.skipIf(env.TEST_POSTGRES_KIND !== "postgres")(
    "concurrent grants by one admin never pass the daily cap together (real PostgreSQL)",
    async () => {
      const admin = await freshAdmin();
      const user = await registerAccount();
      const before = await balanceOf(user.userId);
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          post("/credits/add", { user_id: user.userId, amount: 1000, reason }, admin.apiKey),
        ),
      );
      expect(responses.filter((response) => response.status === 200)).toHaveLength(5);
      expect(responses.filter((response) => response.status === 400)).toHaveLength(3);
      const [expected] = await execute(sql`select (${before}::numeric + 5000)::text as balance`);
      expect(await balanceOf(user.userId)).toBe(expected?.balance);
    },
  );
});

describe("POST /credits/adjust and /credits/refund", () => {
  it("adjusts down with an admin_debit, never below zero", async () => {
    const user = await registerAccount();
    await execute(sql`update users set subscription_allowance = 0, purchased_credits = 5 where id = ${user.userId}`);
    const debit = await post("/credits/adjust", { user_id: user.userId, amount: -2, reason });
    expect(debit.status).toBe(200);
    expect(await debit.json()).toMatchObject({ previous_balance: 5, new_balance: 3, amount_changed: -2 });
    const [row] = await execute(
      sql`select type from credit_transactions where user_id = ${user.userId} order by id desc limit 1`,
    );
    expect(row?.type).toBe("admin_debit");
    const tooMuch = await post("/credits/adjust", { user_id: user.userId, amount: -3.5, reason });
    expect(tooMuch.status).toBe(400);
    expect((await errorOf(tooMuch)).error.code).toBe("negative_balance");
    expect(await balanceOf(user.userId)).toBe("3.000000000");
    const up = await post("/credits/adjust", { user_id: user.userId, amount: 1.25, reason });
    expect(await up.json()).toMatchObject({ new_balance: 4.25 });
  });

  it("credits a balance that requests left below zero, but refuses a debit there", async () => {
    const user = await registerAccount();
    await execute(sql`update users set subscription_allowance = 0, purchased_credits = -0.4 where id = ${user.userId}`);
    const debit = await post("/credits/adjust", { user_id: user.userId, amount: -0.1, reason });
    expect(debit.status).toBe(400);
    expect((await errorOf(debit)).error.code).toBe("negative_balance");
    const grant = await post("/credits/adjust", { user_id: user.userId, amount: 0.25, reason });
    expect(grant.status).toBe(200);
    expect(await grant.json()).toMatchObject({ previous_balance: -0.4, new_balance: -0.15 });
    const refund = await post("/credits/refund", { user_id: user.userId, amount: 1 });
    expect(await refund.json()).toMatchObject({ new_balance: 0.85 });
  });

  it("refunds are not capped and name the original transaction", async () => {
    const user = await registerAccount();
    const before = await balanceOf(user.userId);
    const response = await post("/credits/refund", { user_id: user.userId, amount: 2500, original_transaction_id: 77 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { transaction_id: number };
    const [ledger] = await execute(
      sql`select type, description, metadata from credit_transactions where id = ${body.transaction_id}`,
    );
    expect(ledger).toMatchObject({
      type: "refund",
      description: "Refund: Refund",
      metadata: { original_transaction_id: 77 },
    });
    const [expected] = await execute(sql`select (${before}::numeric + 2500)::text as balance`);
    expect(await balanceOf(user.userId)).toBe(expected?.balance);
  });
});

describe("POST /credits/bulk-add", () => {
  it("grants each user in turn and reports partial success per user", async () => {
    const admin = await freshAdmin();
    const users = [await registerAccount(), await registerAccount()];
    const response = await post(
      "/credits/bulk-add",
      { user_ids: [users[0]?.userId, users[1]?.userId, users[0]?.userId, 2_000_000_001], amount: 10, reason },
      admin.apiKey,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      total_users: number;
      successful: number;
      failed: number;
      total_credits_added: number;
      results: { user_id: number; success: boolean; error?: string }[];
    };
    expect(body).toMatchObject({
      status: "partial",
      total_users: 3,
      successful: 2,
      failed: 1,
      total_credits_added: 20,
    });
    expect(body.results.find((result) => result.user_id === 2_000_000_001)).toMatchObject({
      success: false,
      error: "User 2000000001 not found",
    });
    const [ledger] = await execute(sql`select count(*)::int as n from credit_transactions
      where created_by = ${`admin:${admin.userId}`} and metadata->>'bulk_operation' = 'true'`);
    expect(ledger?.n).toBe(2);
  });

  it("refuses a batch the admin's daily budget cannot cover, before crediting anyone", async () => {
    const admin = await freshAdmin();
    const users = await Promise.all(Array.from({ length: 6 }, () => registerAccount()));
    const response = await post(
      "/credits/bulk-add",
      { user_ids: users.map((user) => user.userId), amount: 1000, reason },
      admin.apiKey,
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.code).toBe("daily_grant_limit_exceeded");
    const rows = await execute(sql`select 1 from credit_transactions where created_by = ${`admin:${admin.userId}`}`);
    expect(rows).toEqual([]);
  });
});

describe("a user's own credits", () => {
  it("GET /v1/credits totals what was credited and what requests used; the ledger pages newest first", async () => {
    const user = await registerAccount(); // $5 signup credit (a `trial` ledger row)
    expect((await post("/credits/add", { user_id: user.userId, amount: 10, reason })).status).toBe(200);
    await withDatabase((db) =>
      settleInference(db, inferenceRecord(user.userId, `credits-${crypto.randomUUID()}`, "0.123456789")),
    );
    const totals = await call("/v1/credits", { key: user.apiKey });
    expect(totals.status).toBe(200);
    expect(await totals.json()).toEqual({ data: { total_credits: 15, total_usage: 0.123456789 } });

    const first = await call("/user/credits/transactions?limit=2", { key: user.apiKey });
    const page = (await first.json()) as {
      transactions: { type: string; amount: number }[];
      total: number;
      has_more: boolean;
    };
    expect(page).toMatchObject({ total: 3, has_more: true });
    expect(page.transactions.map((row) => row.type)).toEqual(["api_usage", "admin_credit"]);
    expect(page.transactions[0]?.amount).toBe(-0.123456789);
    const rest = await call("/user/credits/transactions?limit=2&offset=2", { key: user.apiKey });
    expect(await rest.json()).toMatchObject({ transactions: [{ type: "trial", amount: 5 }], has_more: false });
    expect((await call("/user/credits/transactions?limit=0", { key: user.apiKey })).status).toBe(400);
    expect((await call("/v1/credits")).status).toBe(401);
  });
});
