// How many logged requests carry the API key that made them (seed: API-key tracking quality): the
// counts for a window in one statement, and per UTC day over a range (days without requests included).
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { num, type Row } from "./request-analytics-filters";

export interface TrackingCounts {
  total: number;
  withKey: number;
  withoutKey: number;
  /** No key but a user: a key lookup that failed to reach the log. */
  nullKeyWithUser: number;
  /** Neither: anonymous traffic. */
  bothNull: number;
}

/** Counts for requests created in [from, to]. */
export async function trackingCounts(db: Database, window: { from: Date; to: Date }): Promise<TrackingCounts> {
  const result = await db.execute<Row>(sql`
    select count(*)::bigint as total,
           count(*) filter (where api_key_id is not null)::bigint as with_key,
           count(*) filter (where api_key_id is null)::bigint as without_key,
           count(*) filter (where api_key_id is null and user_id is not null)::bigint as null_key_with_user,
           count(*) filter (where api_key_id is null and user_id is null)::bigint as both_null
    from chat_completion_requests
    where created_at >= ${window.from.toISOString()}::timestamptz and created_at <= ${window.to.toISOString()}::timestamptz`);
  const row = result.rows[0] ?? {};
  return {
    total: num(row.total),
    withKey: num(row.with_key),
    withoutKey: num(row.without_key),
    nullKeyWithUser: num(row.null_key_with_user),
    bothNull: num(row.both_null),
  };
}

export interface TrackingDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  total: number;
  withKey: number;
}

/** The last `days` UTC days, today included, oldest first; each day is [00:00, next 00:00). */
export async function trackingByDay(db: Database, days: number): Promise<TrackingDay[]> {
  const result = await db.execute<Row>(sql`
    with bounds as (
      select (date_trunc('day', now() at time zone 'UTC') - make_interval(days => ${days - 1})) at time zone 'UTC' as start_at
    ),
    counted as (
      select date_trunc('day', r.created_at at time zone 'UTC') as day,
             count(*)::bigint as total, count(r.api_key_id)::bigint as with_key
      from chat_completion_requests r, bounds
      where r.created_at >= bounds.start_at
      group by 1
    )
    select to_char(day, 'YYYY-MM-DD') as date, coalesce(c.total, 0) as total, coalesce(c.with_key, 0) as with_key
    from generate_series(date_trunc('day', now() at time zone 'UTC') - make_interval(days => ${days - 1}),
                         date_trunc('day', now() at time zone 'UTC'), interval '1 day') as day
    left join counted c using (day)
    order by day`);
  return result.rows.map((row) => ({ date: String(row.date), total: num(row.total), withKey: num(row.with_key) }));
}
