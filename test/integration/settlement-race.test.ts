// Billing racing an operator: inference settlements and admin adjustments of the same balance at the
// same moment. Every change must land exactly once, in a ledger that chains without gaps.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call } from "../support/gateway";

const reason = "Race test: goodwill adjustment";

// Embedded PGlite serves one connection at a time, so nothing would actually race there.
describe.skipIf(env.TEST_POSTGRES_KIND !== "postgres")("settlement racing admin adjustments (real PostgreSQL)", () => {
  it("keeps the balance equal to the ledger, with every row chained to the one before", async () => {
    const user = await registerAccount(); // $5
    // Priced high enough that ten answers cost real money (the fixture reports its own usage).
    await priceModel("openai", "fixture:openai/chat-completion-text?case=race", {
      prompt: "0.0001",
      completion: "0.0002",
    });
    const completions = Array.from({ length: 10 }, () =>
      call("/v1/chat/completions", {
        method: "POST",
        key: user.apiKey,
        json: {
          model: "openai/fixture:openai/chat-completion-text?case=race",
          messages: [{ role: "user", content: "hi" }],
        },
      }),
    );
    const adjustments = [2, -0.5, 2, -0.5, 2, -0.5, 2, -0.5, 2, -0.5].map((amount) =>
      call("/credits/adjust", {
        method: "POST",
        key: TEST_ADMIN_API_KEY,
        json: { user_id: user.userId, amount, reason },
      }),
    );
    const responses = await Promise.all([...completions, ...adjustments]);
    const failed = responses.filter((response) => response.status !== 200);
    expect(await Promise.all(failed.map((response) => response.text()))).toEqual([]);

    // Settlement of a non-streamed answer may finish just after the response.
    const charged = await eventually(async () => {
      const [row] = await execute(sql`select count(*)::int as n, coalesce(sum(cost_usd), 0)::text as cost
        from chat_completion_requests where user_id = ${user.userId} and status = 'completed'`);
      expect(row?.n).toBe(10);
      return String(row?.cost);
    });
    expect(Number(charged)).toBeGreaterThan(0);

    const [totals] = await execute(sql`
      select (u.subscription_allowance + u.purchased_credits)::text as balance,
             (select sum(amount) from credit_transactions where user_id = u.id)::text as ledger,
             (select count(*)::int from credit_transactions where user_id = u.id and type = 'api_usage') as charges,
             (select count(*)::int from credit_transactions where user_id = u.id and type in ('admin_credit', 'admin_debit')) as adjustments,
             (5 + 10 - 2.5 - ${charged}::numeric)::text as expected
      from users u where u.id = ${user.userId}`);
    expect(totals).toMatchObject({ charges: 10, adjustments: 10 });
    expect(totals?.balance).toBe(totals?.ledger);
    expect(totals?.balance).toBe(totals?.expected);

    // Each row moved the balance by its amount, starting where the previous row left it.
    const rows = await execute(sql`
      select amount::text as amount, balance_before::text as before, balance_after::text as after,
             (balance_after - balance_before = amount) as consistent
      from credit_transactions where user_id = ${user.userId} order by id`);
    expect(rows.every((row) => row.consistent === true)).toBe(true);
    for (let index = 1; index < rows.length; index++) {
      expect(rows[index]?.before).toBe(rows[index - 1]?.after);
    }
    expect(rows.at(-1)?.after).toBe(totals?.balance);
  });
});
