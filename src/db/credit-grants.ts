// Admin money movements (grants, adjustments, refunds): each is one transaction that checks the
// caps, changes the balance and writes its ledger row together. Grants by one admin queue on an
// advisory lock, so concurrent grants can never pass the rolling 24-hour cap between them.
import { sql } from "drizzle-orm";
import { badRequest, notFound } from "../lib/errors";
import { formatUsd, type Nanos, parseUsd } from "../lib/money";
import type { Database } from "./client";

/** The pool or one of its transactions: all these functions need is `execute`. */
export type SqlSession = Pick<Database, "execute">;

export type BalanceChangeType = "admin_credit" | "admin_debit" | "refund" | "coupon";

export interface BalanceChange {
  userId: number;
  /** Signed: positive adds credit. */
  amount: Nanos;
  type: BalanceChangeType;
  description: string;
  metadata: Record<string, unknown>;
  /** `admin:<user id>` or `admin:bootstrap` (the ADMIN_API_KEY). */
  createdBy: string;
}

export interface GrantCaps {
  perGrant: Nanos;
  daily: Nanos;
}

export interface AppliedChange {
  userId: number;
  previousBalance: Nanos;
  newBalance: Nanos;
  amount: Nanos;
  transactionId: number;
}

const asNanos = (value: unknown) => parseUsd(String(value));

/** What an admin has granted in the last 24 hours (positive admin credits only). */
async function grantedToday(tx: SqlSession, createdBy: string): Promise<Nanos> {
  const result = await tx.execute<{ total: string }>(sql`
    select coalesce(sum(amount), 0)::text as total from credit_transactions
    where type = 'admin_credit' and created_by = ${createdBy} and amount > 0
      and created_at >= now() - interval '24 hours'`);
  return asNanos(result.rows[0]?.total ?? "0");
}

/** Refuses a grant over the per-grant cap or the admin's remaining daily budget (400, with the numbers). */
export async function checkGrantCaps(tx: SqlSession, createdBy: string, amount: Nanos, caps: GrantCaps): Promise<void> {
  if (amount > caps.perGrant) {
    throw badRequest(
      `Amount $${formatUsd(amount)} exceeds the per-grant limit of $${formatUsd(caps.perGrant)}`,
      "grant_limit_exceeded",
      "amount",
    );
  }
  await checkDailyBudget(tx, createdBy, amount, caps.daily);
}

/** Refuses `amount` (one grant, or a whole batch) beyond what the admin may still grant today. */
export async function checkDailyBudget(tx: SqlSession, createdBy: string, amount: Nanos, daily: Nanos): Promise<void> {
  const today = await grantedToday(tx, createdBy);
  if (today + amount > daily) {
    const remaining = daily > today ? daily - today : 0n;
    throw badRequest(
      `Daily grant limit of $${formatUsd(daily)} would be exceeded: $${formatUsd(today)} granted in the last 24 hours, $${formatUsd(remaining)} remaining`,
      "daily_grant_limit_exceeded",
      "amount",
    );
  }
}

/** Serialises the grants of one admin for the rest of the transaction. */
export async function lockAdminGrants(tx: SqlSession, createdBy: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('admin-grants'), hashtext(${createdBy}))`);
}

/**
 * Changes the user's purchased credits by `amount` and writes the ledger row, in the caller's
 * transaction. A decrease may not take the total balance below zero (400).
 */
export async function applyBalanceChange(tx: SqlSession, change: BalanceChange): Promise<AppliedChange> {
  const amount = formatUsd(change.amount);
  // Only a decrease is checked: anything that adds credit must apply, also to a balance that
  // in-flight requests left below zero.
  const floor = change.amount >= 0n ? sql`true` : sql`b.balance + ${amount}::numeric >= 0`;
  const updated = await tx.execute<{ before: string; after: string }>(sql`
    update users u
    set purchased_credits = u.purchased_credits + ${amount}::numeric, updated_at = now()
    from (select id, subscription_allowance + purchased_credits as balance from users where id = ${change.userId} for update) b
    where u.id = b.id and ${floor}
    returning b.balance::text as before, (b.balance + ${amount}::numeric)::text as after`);
  const row = updated.rows[0];
  if (!row) {
    const existing = await tx.execute<{ balance: string }>(
      sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${change.userId}`,
    );
    const current = existing.rows[0];
    if (!current) throw notFound(`User ${change.userId} not found`, "user_not_found");
    throw badRequest(
      `Adjustment would leave a negative balance: current $${formatUsd(asNanos(current.balance))}, adjustment $${amount}`,
      "negative_balance",
      "amount",
    );
  }
  const ledger = await tx.execute<{ id: number }>(sql`
    insert into credit_transactions (user_id, amount, type, balance_before, balance_after, description, metadata, created_by)
    values (${change.userId}, ${amount}::numeric, ${change.type}, ${row.before}::numeric, ${row.after}::numeric,
            ${change.description}, ${JSON.stringify(change.metadata)}::jsonb, ${change.createdBy})
    returning id`);
  return {
    userId: change.userId,
    previousBalance: asNanos(row.before),
    newBalance: asNanos(row.after),
    amount: change.amount,
    transactionId: Number(ledger.rows[0]?.id),
  };
}
