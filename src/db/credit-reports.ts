// Admin reads of the ledger: filtered, sorted, paginated transactions with an exact total, balances
// of all users page by page, and summaries; every aggregate computed in SQL.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";

export interface TransactionFilter {
  userId?: number;
  type?: string;
  from?: Date;
  to?: Date;
  direction?: "credit" | "charge";
  /** Absolute amounts, exact decimal strings. */
  minAmount?: string;
  maxAmount?: string;
}

export type TransactionSort = "created_at" | "amount" | "transaction_type";

function whereOf(filter: TransactionFilter): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filter.userId !== undefined) conditions.push(sql`user_id = ${filter.userId}`);
  if (filter.type !== undefined) conditions.push(sql`type = ${filter.type}`);
  if (filter.from !== undefined) conditions.push(sql`created_at >= ${filter.from.toISOString()}`);
  if (filter.to !== undefined) conditions.push(sql`created_at <= ${filter.to.toISOString()}`);
  if (filter.direction === "credit") conditions.push(sql`amount > 0`);
  if (filter.direction === "charge") conditions.push(sql`amount < 0`);
  if (filter.minAmount !== undefined) conditions.push(sql`abs(amount) >= ${filter.minAmount}::numeric`);
  if (filter.maxAmount !== undefined) conditions.push(sql`abs(amount) <= ${filter.maxAmount}::numeric`);
  return sql.join(conditions, sql` and `);
}

const sortColumns: Record<TransactionSort, SQL> = {
  created_at: sql`created_at`,
  amount: sql`amount`,
  transaction_type: sql`type`,
};

export interface TransactionRow {
  id: number;
  userId: number;
  amount: string;
  type: string;
  balanceBefore: string;
  balanceAfter: string;
  description: string | null;
  metadata: unknown;
  createdBy: string | null;
  createdAt: Date;
}

export async function findTransactions(
  db: Database,
  filter: TransactionFilter,
  sort: { by: TransactionSort; order: "asc" | "desc" },
  page: { limit: number; offset: number },
): Promise<{ rows: TransactionRow[]; total: number }> {
  const where = whereOf(filter);
  const direction = sort.order === "asc" ? sql`asc` : sql`desc`;
  const [rows, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select id, user_id, amount::text as amount, type, balance_before::text as balance_before,
             balance_after::text as balance_after, description, metadata, created_by, created_at
      from credit_transactions where ${where}
      order by ${sortColumns[sort.by]} ${direction}, id ${direction}
      limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total from credit_transactions where ${where}`),
  ]);
  return {
    rows: rows.rows.map((row) => ({
      id: Number(row.id),
      userId: Number(row.user_id),
      amount: String(row.amount),
      type: String(row.type),
      balanceBefore: String(row.balance_before),
      balanceAfter: String(row.balance_after),
      description: typeof row.description === "string" ? row.description : null,
      metadata: row.metadata,
      createdBy: typeof row.created_by === "string" ? row.created_by : null,
      createdAt: new Date(String(row.created_at)),
    })),
    total: Number(count.rows[0]?.total ?? 0),
  };
}

export interface LedgerSummary {
  totalTransactions: number;
  totalCreditsAdded: string;
  totalCreditsUsed: string;
  netChange: string;
  byType: { type: string; count: number; totalAmount: string; averageAmount: string }[];
  largestCredit: string | null;
  largestCharge: string | null;
  credits: number;
  charges: number;
}

export async function summarizeTransactions(db: Database, filter: TransactionFilter): Promise<LedgerSummary> {
  const where = whereOf(filter);
  const [totals, types] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select count(*)::int as total,
             coalesce(sum(amount) filter (where amount > 0), 0)::text as added,
             coalesce(-sum(amount) filter (where amount < 0), 0)::text as used,
             coalesce(sum(amount), 0)::text as net,
             max(amount) filter (where amount > 0)::text as largest_credit,
             (-(min(amount) filter (where amount < 0)))::text as largest_charge,
             count(*) filter (where amount > 0)::int as credits,
             count(*) filter (where amount < 0)::int as charges
      from credit_transactions where ${where}`),
    db.execute<Record<string, unknown>>(sql`
      select type, count(*)::int as count, sum(amount)::text as total, round(avg(amount), 9)::text as average
      from credit_transactions where ${where} group by type order by type`),
  ]);
  const row = totals.rows[0] ?? {};
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    totalTransactions: Number(row.total ?? 0),
    totalCreditsAdded: String(row.added ?? "0"),
    totalCreditsUsed: String(row.used ?? "0"),
    netChange: String(row.net ?? "0"),
    byType: types.rows.map((entry) => ({
      type: String(entry.type),
      count: Number(entry.count),
      totalAmount: String(entry.total),
      averageAmount: String(entry.average),
    })),
    largestCredit: text(row.largest_credit),
    largestCharge: text(row.largest_charge),
    credits: Number(row.credits ?? 0),
    charges: Number(row.charges ?? 0),
  };
}

export async function systemBalances(db: Database): Promise<{ users: number; total: string; average: string }> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select count(*)::int as users, coalesce(sum(subscription_allowance + purchased_credits), 0)::text as total,
           coalesce(round(avg(subscription_allowance + purchased_credits), 9), 0)::text as average
    from users`);
  const row = result.rows[0] ?? {};
  return { users: Number(row.users ?? 0), total: String(row.total ?? "0"), average: String(row.average ?? "0") };
}

export interface UserBalanceRow {
  userId: number;
  username: string;
  email: string;
  subscriptionAllowance: string;
  purchasedCredits: string;
  createdAt: Date;
  updatedAt: Date;
}

export async function userBalances(
  db: Database,
  page: { limit: number; offset: number },
): Promise<{ rows: UserBalanceRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select id, username, email, subscription_allowance::text as allowance, purchased_credits::text as purchased,
             created_at, updated_at
      from users order by id limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total from users`),
  ]);
  return {
    rows: rows.rows.map((row) => ({
      userId: Number(row.id),
      username: String(row.username),
      email: String(row.email),
      subscriptionAllowance: String(row.allowance),
      purchasedCredits: String(row.purchased),
      createdAt: new Date(String(row.created_at)),
      updatedAt: new Date(String(row.updated_at)),
    })),
    total: Number(count.rows[0]?.total ?? 0),
  };
}
