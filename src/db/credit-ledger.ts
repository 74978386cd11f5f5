// A user's view of the ledger: paginated transactions and OpenRouter-style totals, computed in SQL.
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export interface LedgerRow {
  id: number;
  amount: string;
  type: string;
  balanceBefore: string;
  balanceAfter: string;
  description: string | null;
  createdAt: Date;
}

export async function userTransactions(
  db: Database,
  userId: number,
  limit: number,
  offset: number,
): Promise<{ rows: LedgerRow[]; total: number }> {
  const [page, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select id, amount::text as amount, type, balance_before::text as balance_before,
             balance_after::text as balance_after, description, created_at
      from credit_transactions where user_id = ${userId}
      order by created_at desc, id desc limit ${limit} offset ${offset}`),
    db.execute<{ total: number }>(
      sql`select count(*)::int as total from credit_transactions where user_id = ${userId}`,
    ),
  ]);
  return {
    rows: page.rows.map((row) => ({
      id: Number(row.id),
      amount: String(row.amount),
      type: String(row.type),
      balanceBefore: String(row.balance_before),
      balanceAfter: String(row.balance_after),
      description: typeof row.description === "string" ? row.description : null,
      createdAt: new Date(String(row.created_at)),
    })),
    total: Number(count.rows[0]?.total ?? 0),
  };
}

/** Everything ever credited (grants, purchases, trial, refunds, coupons) and everything spent on usage. */
export async function creditTotals(db: Database, userId: number): Promise<{ credited: string; used: string }> {
  const result = await db.execute<{ credited: string; used: string }>(sql`
    select coalesce(sum(amount) filter (where amount > 0), 0)::text as credited,
           coalesce(-sum(amount) filter (where type = 'api_usage'), 0)::text as used
    from credit_transactions where user_id = ${userId}`);
  const row = result.rows[0];
  return { credited: row?.credited ?? "0", used: row?.used ?? "0" };
}
