// The activity trail (seed 000): what a user did, and their log and statistics, computed in SQL.
import { type SQL, sql } from "drizzle-orm";
import { type AnyDatabase, type Database, queryRows } from "./client";

export type ActivityAction =
  | "user_registered"
  | "chat_completion"
  | "api_key_created"
  | "api_key_revoked"
  | "user_login"
  | "account_recovery_requested"
  | "account_recovered"
  | "account_updated"
  | "coupon_redeemed"
  | "feedback_submitted"
  | "session_created"
  | "session_updated"
  | "session_deleted"
  | "message_sent";

export async function recordActivity(
  db: AnyDatabase,
  userId: number,
  action: ActivityAction,
  details: Record<string, unknown>,
): Promise<void> {
  await queryRows(
    db,
    sql`insert into activity (user_id, action, details) values (${userId}, ${action}, ${JSON.stringify(details)}::jsonb)`,
  );
}

export interface ActivityFilter {
  action?: string;
  from?: Date;
  to?: Date;
}

function whereOf(userId: number, filter: ActivityFilter): SQL {
  const conditions: SQL[] = [sql`user_id = ${userId}`];
  if (filter.action) conditions.push(sql`action = ${filter.action}`);
  if (filter.from) conditions.push(sql`created_at >= ${filter.from.toISOString()}`);
  if (filter.to) conditions.push(sql`created_at <= ${filter.to.toISOString()}`);
  return sql.join(conditions, sql` and `);
}

export interface ActivityRow {
  id: number;
  action: string;
  details: unknown;
  createdAt: Date;
}

export async function activityLog(
  db: Database,
  userId: number,
  filter: ActivityFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ActivityRow[]; total: number }> {
  const where = whereOf(userId, filter);
  const [rows, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select id, action, details, created_at from activity where ${where}
      order by created_at desc, id desc limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total from activity where ${where}`),
  ]);
  return {
    rows: rows.rows.map((row) => ({
      id: Number(row.id),
      action: String(row.action),
      details: row.details ?? null,
      createdAt: new Date(String(row.created_at)),
    })),
    total: Number(count.rows[0]?.total ?? 0),
  };
}

export interface ActivityStats {
  total: number;
  byAction: Record<string, number>;
  daily: { date: string; count: number }[];
  tokensUsed: number;
  first: Date | null;
  last: Date | null;
}

/** Counts over the last `days` days: per action, per day, and the tokens of chat completions. */
export async function activityStats(db: Database, userId: number, days: number): Promise<ActivityStats> {
  const since = sql`now() - make_interval(days => ${days})`;
  const [totals, actions, daily] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select count(*)::int as total, min(created_at) as first, max(created_at) as last,
             coalesce(sum((details->>'tokens_used')::bigint) filter (where action = 'chat_completion'), 0)::bigint as tokens
      from activity where user_id = ${userId} and created_at >= ${since}`),
    db.execute<Record<string, unknown>>(sql`
      select action, count(*)::int as count from activity
      where user_id = ${userId} and created_at >= ${since} group by action order by action`),
    db.execute<Record<string, unknown>>(sql`
      select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as count
      from activity where user_id = ${userId} and created_at >= ${since} group by 1 order by 1`),
  ]);
  const row = totals.rows[0] ?? {};
  return {
    total: Number(row.total ?? 0),
    byAction: Object.fromEntries(actions.rows.map((entry) => [String(entry.action), Number(entry.count)])),
    daily: daily.rows.map((entry) => ({ date: String(entry.day), count: Number(entry.count) })),
    tokensUsed: Number(row.tokens ?? 0),
    first: row.first ? new Date(String(row.first)) : null,
    last: row.last ? new Date(String(row.last)) : null,
  };
}
