// GET /admin/monitor: the system snapshot, computed in SQL from users and the request log (the seed
// merged activity_log and legacy usage_records in memory; here every inference is one log row).
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export interface MonitorTotals {
  total_users: number;
  users_today: number;
  total_credits: string;
  api_calls_today: number;
  api_calls_month: number;
  failed_calls_today: number;
  tokens_today: number;
  tokens_month: number;
  revenue_today: string;
  revenue_month: string;
}

export async function monitorTotals(db: Database): Promise<MonitorTotals> {
  const result = await db.execute<Record<string, unknown>>(sql`
    with people as (
      select count(*)::int as total_users,
             count(*) filter (where created_at >= now() - interval '24 hours')::int as users_today,
             coalesce(sum(subscription_allowance + purchased_credits), 0)::text as total_credits
      from users
    ),
    calls as (
      select count(*) filter (where created_at >= now() - interval '24 hours')::int as api_calls_today,
             count(*)::int as api_calls_month,
             count(*) filter (where created_at >= now() - interval '24 hours' and status = 'failed')::int as failed_calls_today,
             coalesce(sum(prompt_tokens + completion_tokens) filter (where created_at >= now() - interval '24 hours'), 0)::bigint as tokens_today,
             coalesce(sum(prompt_tokens + completion_tokens), 0)::bigint as tokens_month,
             coalesce(sum(cost_usd) filter (where created_at >= now() - interval '24 hours'), 0)::text as revenue_today,
             coalesce(sum(cost_usd), 0)::text as revenue_month
      from chat_completion_requests
      where created_at >= now() - interval '30 days'
    )
    select * from people, calls`);
  const row = result.rows[0] ?? {};
  return {
    total_users: Number(row.total_users ?? 0),
    users_today: Number(row.users_today ?? 0),
    total_credits: String(row.total_credits ?? "0"),
    api_calls_today: Number(row.api_calls_today ?? 0),
    api_calls_month: Number(row.api_calls_month ?? 0),
    failed_calls_today: Number(row.failed_calls_today ?? 0),
    tokens_today: Number(row.tokens_today ?? 0),
    tokens_month: Number(row.tokens_month ?? 0),
    revenue_today: String(row.revenue_today ?? "0"),
    revenue_month: String(row.revenue_month ?? "0"),
  };
}

export async function recentUsage(db: Database, limit: number): Promise<Record<string, unknown>[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select request_id, user_id, api_key_id, requested_model as model, provider, status, http_status,
           prompt_tokens, completion_tokens, cost_usd::text as cost_usd, latency_ms, created_at
    from chat_completion_requests order by created_at desc, id desc limit ${limit}`);
  return result.rows;
}

/** Per-user usage over the last 30 days, busiest first, with the exact number of users who used the API. */
export async function userMetrics(
  db: Database,
  page: { limit: number; offset: number },
): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const window = sql`created_at >= now() - interval '30 days' and user_id is not null`;
  const [rows, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select r.user_id, u.username, u.email, r.requests, r.requests_today, r.tokens, r.tokens_today,
             r.cost::text as cost, r.cost_today::text as cost_today, r.last_request_at,
             (u.subscription_allowance + u.purchased_credits)::text as balance
      from (
        select user_id, count(*)::int as requests,
               count(*) filter (where created_at >= now() - interval '24 hours')::int as requests_today,
               sum(prompt_tokens + completion_tokens)::bigint as tokens,
               coalesce(sum(prompt_tokens + completion_tokens) filter (where created_at >= now() - interval '24 hours'), 0)::bigint as tokens_today,
               sum(cost_usd) as cost,
               coalesce(sum(cost_usd) filter (where created_at >= now() - interval '24 hours'), 0) as cost_today,
               max(created_at) as last_request_at
        from chat_completion_requests where ${window} group by user_id
      ) r join users u on u.id = r.user_id
      order by r.cost desc, r.requests desc, r.user_id
      limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(
      sql`select count(distinct user_id)::int as total from chat_completion_requests where ${window}`,
    ),
  ]);
  return { rows: rows.rows, total: Number(count.rows[0]?.total ?? 0) };
}
