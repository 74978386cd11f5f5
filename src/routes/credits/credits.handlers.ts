import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  type AppliedChange,
  applyBalanceChange,
  type BalanceChange,
  checkDailyBudget,
  checkGrantCaps,
  type GrantCaps,
  lockAdminGrants,
} from "../../db/credit-grants";
import type { AppEnv } from "../../env";
import { forgetBalances } from "../../gateway/credit-check";
import { ApiError, badRequest } from "../../lib/errors";
import { type Nanos, parseUsd, usdNumber } from "../../lib/money";
import type { addCreditsRoute, adjustCreditsRoute, bulkAddCreditsRoute, refundCreditsRoute } from "./credits.routes";

interface Admin {
  createdBy: string;
  userId: number | null;
  username: string | null;
}

export function adminOf(c: Context<AppEnv>): Admin {
  const auth = c.var.auth;
  if (auth.kind === "user")
    return { createdBy: `admin:${auth.user.id}`, userId: auth.user.id, username: auth.user.username };
  return { createdBy: "admin:bootstrap", userId: null, username: null };
}

/** A JSON number or decimal string → exact nano-dollars (numbers are read at 9 decimals). */
export function amountOf(value: number | string): Nanos {
  try {
    return parseUsd(typeof value === "number" ? value.toFixed(9) : value);
  } catch {
    throw badRequest("amount must be a USD amount with at most 9 decimals", "invalid_amount", "amount");
  }
}

function positiveAmountOf(value: number | string): Nanos {
  const amount = amountOf(value);
  if (amount <= 0n) throw badRequest("amount must be greater than 0", "invalid_amount", "amount");
  return amount;
}

function capsOf(c: Context<AppEnv>): GrantCaps {
  return {
    perGrant: parseUsd(c.var.config.ADMIN_MAX_CREDIT_GRANT),
    daily: parseUsd(c.var.config.ADMIN_DAILY_GRANT_LIMIT),
  };
}

function present(applied: AppliedChange, message: string) {
  return {
    status: "success" as const,
    message,
    user_id: applied.userId,
    previous_balance: usdNumber(applied.previousBalance),
    new_balance: usdNumber(applied.newBalance),
    amount_changed: usdNumber(applied.amount),
    transaction_id: applied.transactionId,
    timestamp: new Date().toISOString(),
  };
}

/** One transaction: lock this admin's grants (when capped), check the caps, move the money, ledger it. */
export async function applyChange(c: Context<AppEnv>, change: BalanceChange, capped: boolean): Promise<AppliedChange> {
  const applied = await c.var.db().transaction(async (tx) => {
    if (capped) {
      await lockAdminGrants(tx, change.createdBy);
      await checkGrantCaps(tx, change.createdBy, change.amount, capsOf(c));
    }
    return applyBalanceChange(tx, change);
  });
  // This isolate's remembered balances must not hide a debit (other isolates: within their TTL).
  forgetBalances();
  return applied;
}

export function grantMetadata(admin: Admin, reason: string, extra: Record<string, unknown> | undefined) {
  return { ...extra, reason, admin_user_id: admin.userId, admin_username: admin.username };
}

export const addCredits: RouteHandler<typeof addCreditsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const amount = positiveAmountOf(body.amount);
  const admin = adminOf(c);
  const applied = await applyChange(
    c,
    {
      userId: body.user_id,
      amount,
      type: "admin_credit",
      description: body.description ?? "Admin credit addition",
      metadata: grantMetadata(admin, body.reason, body.metadata),
      createdBy: admin.createdBy,
    },
    true,
  );
  return c.json(present(applied, `Added $${usdNumber(amount)} to user ${body.user_id}`), 200);
};

export const adjustCredits: RouteHandler<typeof adjustCreditsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const amount = amountOf(body.amount);
  if (amount === 0n) throw badRequest("amount must not be 0", "invalid_amount", "amount");
  const admin = adminOf(c);
  const applied = await applyChange(
    c,
    {
      userId: body.user_id,
      amount,
      type: amount > 0n ? "admin_credit" : "admin_debit",
      description: body.description ?? "Admin credit adjustment",
      metadata: grantMetadata(admin, body.reason, body.metadata),
      createdBy: admin.createdBy,
    },
    amount > 0n,
  );
  return c.json(present(applied, `Adjusted user ${body.user_id}'s balance by $${usdNumber(amount)}`), 200);
};

export const refundCredits: RouteHandler<typeof refundCreditsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const amount = positiveAmountOf(body.amount);
  const admin = adminOf(c);
  const applied = await applyChange(
    c,
    {
      userId: body.user_id,
      amount,
      type: "refund",
      description: `Refund: ${body.reason}`,
      metadata: {
        ...grantMetadata(admin, body.reason, body.metadata),
        original_transaction_id: body.original_transaction_id ?? null,
      },
      createdBy: admin.createdBy,
    },
    false,
  );
  return c.json(present(applied, `Refunded $${usdNumber(amount)} to user ${body.user_id}`), 200);
};

export const bulkAddCredits: RouteHandler<typeof bulkAddCreditsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const amount = positiveAmountOf(body.amount);
  const admin = adminOf(c);
  const userIds = [...new Set(body.user_ids)];
  // The whole batch must fit the admin's budget before anyone is credited.
  await c.var.db().transaction(async (tx) => {
    await lockAdminGrants(tx, admin.createdBy);
    await checkGrantCaps(tx, admin.createdBy, amount, capsOf(c));
    await checkDailyBudget(tx, admin.createdBy, amount * BigInt(userIds.length), capsOf(c).daily);
  });
  const results = [];
  for (const userId of userIds) {
    try {
      const applied = await applyChange(
        c,
        {
          userId,
          amount,
          type: "admin_credit",
          description: body.description ?? "Bulk credit addition",
          metadata: { ...grantMetadata(admin, body.reason, body.metadata), bulk_operation: true },
          createdBy: admin.createdBy,
        },
        true,
      );
      results.push({
        user_id: userId,
        success: true,
        previous_balance: usdNumber(applied.previousBalance),
        new_balance: usdNumber(applied.newBalance),
        transaction_id: applied.transactionId,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results.push({ user_id: userId, success: false, error: error.message });
    }
  }
  const successful = results.filter((result) => result.success).length;
  const failed = results.length - successful;
  const status = failed === 0 ? ("success" as const) : successful === 0 ? ("failed" as const) : ("partial" as const);
  return c.json(
    {
      status,
      message: `Added $${usdNumber(amount)} to ${successful} of ${userIds.length} users`,
      total_users: userIds.length,
      successful,
      failed,
      amount_per_user: usdNumber(amount),
      total_credits_added: usdNumber(amount * BigInt(successful)),
      results,
      timestamp: new Date().toISOString(),
    },
    200,
  );
};
