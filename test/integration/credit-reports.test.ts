// Admin reads of the ledger (filters, sorting, exact totals, summaries that reconcile with the rows),
// balances page by page, and the legacy grant by API key.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { settleInference } from "../../src/db/inference";
import { execute, registerAccount, type TestAccount, withDatabase } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";

const admin = { key: TEST_ADMIN_API_KEY };
const reason = "Support ticket 5150: goodwill credit";

interface TransactionList {
  transactions: { amount: number; transaction_type: string; user_id: number }[];
  total: number;
  has_more: boolean;
  summary?: {
    total_transactions: number;
    total_credits_added: number;
    total_credits_used: number;
    net_change: number;
    by_type: Record<string, { count: number; total_amount: number }>;
    largest_credit: number | null;
    largest_charge: number | null;
  };
}

let user: TestAccount;

beforeAll(async () => {
  user = await registerAccount(); // +5 (trial)
  for (const amount of [3, 1.5]) {
    const response = await call("/credits/add", {
      method: "POST",
      ...admin,
      json: { user_id: user.userId, amount, reason },
    });
    expect(response.status).toBe(200);
  }
  await withDatabase((db) =>
    settleInference(db, inferenceRecord(user.userId, `report-${crypto.randomUUID()}`, "0.25")),
  );
});

describe("GET /credits/transactions", () => {
  it("filters by user and direction, sorts, and pages with an exact total", async () => {
    const all = (await (await call(`/credits/transactions?user_id=${user.userId}`, admin)).json()) as TransactionList;
    expect(all.total).toBe(4);
    expect(all.transactions.every((row) => row.user_id === user.userId)).toBe(true);
    const credits = (await (
      await call(`/credits/transactions?user_id=${user.userId}&direction=credit&sort_by=amount&sort_order=asc`, admin)
    ).json()) as TransactionList;
    expect(credits.transactions.map((row) => row.amount)).toEqual([1.5, 3, 5]);
    const charges = (await (
      await call(`/credits/transactions?user_id=${user.userId}&direction=charge`, admin)
    ).json()) as TransactionList;
    expect(charges.transactions.map((row) => [row.transaction_type, row.amount])).toEqual([["api_usage", -0.25]]);
    const page = (await (
      await call(`/credits/transactions?user_id=${user.userId}&limit=3&offset=0`, admin)
    ).json()) as TransactionList;
    expect(page).toMatchObject({ total: 4, has_more: true });
    expect(page.transactions).toHaveLength(3);
    const ranged = (await (
      await call(`/credits/transactions?user_id=${user.userId}&min_amount=1&max_amount=3`, admin)
    ).json()) as TransactionList;
    expect(ranged.transactions.map((row) => row.amount).sort()).toEqual([1.5, 3]);
  });

  it("answers 400 with the seed's messages for a bad direction, sort or date", async () => {
    const direction = await call("/credits/transactions?direction=sideways", admin);
    expect(direction.status).toBe(400);
    expect((await errorOf(direction)).error.message).toContain("direction must be 'credit' or 'charge'");
    const sortBy = await call("/credits/transactions?sort_by=user", admin);
    expect((await errorOf(sortBy)).error.message).toContain(
      "sort_by must be 'created_at', 'amount', or 'transaction_type'",
    );
    expect((await call("/credits/transactions?from_date=yesterday", admin)).status).toBe(400);
    expect((await call("/credits/transactions", { key: user.apiKey })).status).toBe(403);
  });
});

describe("summaries", () => {
  it("a user's summary reconciles with the ledger rows", async () => {
    const response = await call(`/admin/credit-transactions?user_id=${user.userId}&include_summary=true`, admin);
    const body = (await response.json()) as TransactionList;
    expect(body.summary).toMatchObject({
      total_transactions: 4,
      total_credits_added: 9.5,
      total_credits_used: 0.25,
      net_change: 9.25,
      largest_credit: 5,
      largest_charge: 0.25,
      by_type: { admin_credit: { count: 2, total_amount: 4.5 }, api_usage: { count: 1, total_amount: -0.25 } },
    });
    const [balance] = await execute(
      sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${user.userId}`,
    );
    expect(Number(balance?.balance)).toBe(body.summary?.net_change);
    const noUser = await call("/admin/credit-transactions?include_summary=true", admin);
    expect(noUser.status).toBe(400);
  });

  it("the system summary counts every user and every dollar in the system", async () => {
    const response = await call("/credits/summary", admin);
    const body = (await response.json()) as {
      scope: string;
      system: { total_users: number; total_credits_in_system: number };
    };
    const [totals] = await execute(sql`select count(*)::int as users,
      sum(subscription_allowance + purchased_credits)::text as total from users`);
    expect(body.scope).toBe("system");
    expect(body.system.total_users).toBe(totals?.users);
    expect(body.system.total_credits_in_system).toBe(Number(totals?.total));
  });
});

describe("GET /admin/balance", () => {
  it("pages every user's balance with the exact user count", async () => {
    const first = await call("/admin/balance?limit=1", admin);
    const body = (await first.json()) as { total_users: number; users: unknown[]; has_more: boolean };
    const [count] = await execute(sql`select count(*)::int as n from users`);
    expect(body.total_users).toBe(count?.n);
    expect(body.users).toHaveLength(1);
    expect(body.has_more).toBe(Number(count?.n) > 1);
  });
});

describe("POST /admin/add_credits (legacy, by API key)", () => {
  it("grants to the key's owner under the same caps; an unknown key is 404", async () => {
    const owner = await registerAccount();
    const response = await call("/admin/add_credits", {
      method: "POST",
      ...admin,
      json: { api_key: owner.apiKey, credits: 2.5, reason },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "success", user_id: owner.userId, new_balance: 7.5, reason });
    const unknown = await call("/admin/add_credits", {
      method: "POST",
      ...admin,
      json: { api_key: "gw_live_nobody", credits: 1, reason },
    });
    expect(unknown.status).toBe(404);
    const over = await call("/admin/add_credits", {
      method: "POST",
      ...admin,
      json: { api_key: owner.apiKey, credits: 1001, reason },
    });
    expect((await errorOf(over)).error.code).toBe("grant_limit_exceeded");
  });
});
