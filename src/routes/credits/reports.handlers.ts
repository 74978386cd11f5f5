import type { RouteHandler } from "@hono/zod-openapi";
import { findKeyIdentityByHash } from "../../db/api-keys";
import {
  findTransactions,
  type LedgerSummary,
  summarizeTransactions,
  systemBalances,
  type TransactionFilter,
  userBalances,
} from "../../db/credit-reports";
import type { AppEnv } from "../../env";
import { sha256Hex } from "../../lib/crypto";
import { badRequest, notFound } from "../../lib/errors";
import { parseUsd, usdNumber, usdNumberOf } from "../../lib/money";
import { adminOf, amountOf, applyChange, grantMetadata } from "./credits.handlers";
import type {
  adminBalancesRoute,
  adminCreditTransactionsRoute,
  creditSummaryRoute,
  creditTransactionsRoute,
  legacyAddCreditsRoute,
  TransactionQuerySchema,
} from "./reports.routes";

const usd = usdNumberOf;
type TransactionQuery = ReturnType<typeof TransactionQuerySchema.parse>;

function filterOf(query: {
  user_id?: number;
  transaction_type?: string;
  from_date?: Date;
  to_date?: Date;
}): TransactionFilter {
  return { userId: query.user_id, type: query.transaction_type, from: query.from_date, to: query.to_date };
}

function presentSummary(summary: LedgerSummary) {
  return {
    total_transactions: summary.totalTransactions,
    total_credits_added: usd(summary.totalCreditsAdded),
    total_credits_used: usd(summary.totalCreditsUsed),
    net_change: usd(summary.netChange),
    by_type: Object.fromEntries(
      summary.byType.map((entry) => [
        entry.type,
        { count: entry.count, total_amount: usd(entry.totalAmount), average_amount: usd(entry.averageAmount) },
      ]),
    ),
    largest_credit: summary.largestCredit === null ? null : usd(summary.largestCredit),
    largest_charge: summary.largestCharge === null ? null : usd(summary.largestCharge),
    transaction_count_by_direction: { credits: summary.credits, charges: summary.charges },
  };
}

async function listTransactions(
  c: Parameters<RouteHandler<typeof creditTransactionsRoute, AppEnv>>[0],
  query: TransactionQuery,
) {
  const filter: TransactionFilter = {
    ...filterOf(query),
    direction: query.direction,
    minAmount: query.min_amount,
    maxAmount: query.max_amount,
  };
  const { rows, total } = await findTransactions(
    c.var.db(),
    filter,
    { by: query.sort_by, order: query.sort_order },
    { limit: query.limit, offset: query.offset },
  );
  return {
    filter,
    body: {
      transactions: rows.map((row) => ({
        id: row.id,
        user_id: row.userId,
        amount: usd(row.amount),
        transaction_type: row.type,
        balance_before: usd(row.balanceBefore),
        balance_after: usd(row.balanceAfter),
        description: row.description,
        metadata: row.metadata,
        created_by: row.createdBy,
        created_at: row.createdAt.toISOString(),
      })),
      total,
      limit: query.limit,
      offset: query.offset,
      has_more: query.offset + rows.length < total,
    },
  };
}

export const creditTransactions: RouteHandler<typeof creditTransactionsRoute, AppEnv> = async (c) => {
  return c.json((await listTransactions(c, c.req.valid("query"))).body, 200);
};

export const adminCreditTransactions: RouteHandler<typeof adminCreditTransactionsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  if (query.include_summary === "true" && query.user_id === undefined) {
    throw badRequest("include_summary needs user_id", "invalid_request", "include_summary");
  }
  const { body, filter } = await listTransactions(c, query);
  if (query.include_summary !== "true") return c.json(body, 200);
  const summary = presentSummary(await summarizeTransactions(c.var.db(), filter));
  return c.json({ ...body, summary }, 200);
};

export const creditSummary: RouteHandler<typeof creditSummaryRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const summary = presentSummary(await summarizeTransactions(c.var.db(), filterOf(query)));
  const system =
    query.user_id === undefined
      ? await systemBalances(c.var.db()).then((totals) => ({
          total_users: totals.users,
          total_credits_in_system: usd(totals.total),
          average_credits_per_user: usd(totals.average),
        }))
      : null;
  return c.json(
    {
      scope: query.user_id === undefined ? ("system" as const) : ("user" as const),
      user_id: query.user_id ?? null,
      summary,
      system,
      timestamp: new Date().toISOString(),
    },
    200,
  );
};

export const adminBalances: RouteHandler<typeof adminBalancesRoute, AppEnv> = async (c) => {
  const { limit, offset } = c.req.valid("query");
  const { rows, total } = await userBalances(c.var.db(), { limit, offset });
  return c.json(
    {
      status: "success" as const,
      total_users: total,
      users: rows.map((row) => ({
        user_id: row.userId,
        username: row.username,
        email: row.email,
        credits: usdNumber(parseUsd(row.subscriptionAllowance) + parseUsd(row.purchasedCredits)),
        subscription_allowance: usd(row.subscriptionAllowance),
        purchased_credits: usd(row.purchasedCredits),
        created_at: row.createdAt.toISOString(),
        updated_at: row.updatedAt.toISOString(),
      })),
      limit,
      offset,
      has_more: offset + rows.length < total,
    },
    200,
  );
};

export const legacyAddCredits: RouteHandler<typeof legacyAddCreditsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const amount = amountOf(body.credits);
  if (amount <= 0n) throw badRequest("credits must be greater than 0", "invalid_amount", "credits");
  // Keys are stored hashed: the lookup hashes the given key.
  const identity = await findKeyIdentityByHash(c.var.db(), await sha256Hex(body.api_key));
  if (!identity) throw notFound("No user has this API key", "api_key_not_found");
  const admin = adminOf(c);
  const applied = await applyChange(
    c,
    {
      userId: identity.user.id,
      amount,
      type: "admin_credit",
      description: "Admin credit addition",
      metadata: grantMetadata(admin, body.reason, { via: "admin/add_credits" }),
      createdBy: admin.createdBy,
    },
    true,
  );
  return c.json(
    {
      status: "success" as const,
      message: `Added ${usdNumber(amount)} credits to user ${identity.user.username}`,
      new_balance: usdNumber(applied.newBalance),
      user_id: identity.user.id,
      reason: body.reason,
    },
    200,
  );
};
