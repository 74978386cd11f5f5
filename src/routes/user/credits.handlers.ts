import type { RouteHandler } from "@hono/zod-openapi";
import { creditTotals, userTransactions } from "../../db/credit-ledger";
import type { AppEnv } from "../../env";
import { usdNumberOf } from "../../lib/money";
import { currentUser } from "../../middleware/auth";
import type { openRouterCreditsRoute, userTransactionsRoute } from "./credits.routes";

const usd = usdNumberOf;

export const listUserTransactions: RouteHandler<typeof userTransactionsRoute, AppEnv> = async (c) => {
  const { limit, offset } = c.req.valid("query");
  const { user } = currentUser(c);
  const { rows, total } = await userTransactions(c.var.db(), user.id, limit, offset);
  return c.json(
    {
      transactions: rows.map((row) => ({
        id: row.id,
        amount: usd(row.amount),
        type: row.type,
        balance_before: usd(row.balanceBefore),
        balance_after: usd(row.balanceAfter),
        description: row.description,
        created_at: row.createdAt.toISOString(),
      })),
      total,
      limit,
      offset,
      has_more: offset + rows.length < total,
    },
    200,
  );
};

export const openRouterCredits: RouteHandler<typeof openRouterCreditsRoute, AppEnv> = async (c) => {
  const { user } = currentUser(c);
  const totals = await creditTotals(c.var.db(), user.id);
  return c.json({ data: { total_credits: usd(totals.credited), total_usage: usd(totals.used) } }, 200);
};
