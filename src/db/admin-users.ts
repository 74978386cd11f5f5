// Admin reads of users and keys: filtered lists with an exact total, one user with their keys and
// recent activity, lookups by key (keys are stored hashed; a lookup hashes the given key).
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";
import { containsPattern } from "./like-pattern";

export interface UserFilter {
  email?: string;
  keyPrefix?: string;
  isActive?: boolean;
  role?: string;
  subscriptionStatus?: string;
}

function whereOf(filter: UserFilter): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filter.email) conditions.push(sql`u.email ilike ${containsPattern(filter.email)}`);
  if (filter.keyPrefix) {
    conditions.push(
      sql`exists (select 1 from api_keys k where k.user_id = u.id and k.key_prefix ilike ${containsPattern(filter.keyPrefix)})`,
    );
  }
  if (filter.isActive !== undefined) conditions.push(sql`u.is_active = ${filter.isActive}`);
  if (filter.role) conditions.push(sql`u.role = ${filter.role}`);
  if (filter.subscriptionStatus) conditions.push(sql`u.subscription_status = ${filter.subscriptionStatus}`);
  return sql.join(conditions, sql` and `);
}

const userColumns = sql`u.id, u.username, u.email, u.role, u.is_admin, u.is_active, u.auth_method, u.subscription_status,
  u.tier, u.trial_expires_at, u.subscription_allowance::text as subscription_allowance,
  u.purchased_credits::text as purchased_credits, u.created_at, u.updated_at`;

export type UserRecord = Record<string, unknown>;

export async function findUsers(
  db: Database,
  filter: UserFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: UserRecord[]; total: number }> {
  const where = whereOf(filter);
  const [rows, count] = await Promise.all([
    db.execute<UserRecord>(sql`select ${userColumns} from users u where ${where}
      order by u.created_at desc, u.id desc limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total from users u where ${where}`),
  ]);
  return { rows: rows.rows, total: Number(count.rows[0]?.total ?? 0) };
}

export async function countUsers(db: Database): Promise<number> {
  const result = await db.execute<{ total: number }>(sql`select count(*)::int as total from users`);
  return Number(result.rows[0]?.total ?? 0);
}

export async function findUser(db: Database, userId: number): Promise<UserRecord | undefined> {
  const result = await db.execute<UserRecord>(sql`select ${userColumns} from users u where u.id = ${userId}`);
  return result.rows[0];
}

const keyColumns = sql`k.id, k.user_id, k.key_prefix, k.name, k.environment_tag, k.scopes, k.allowed_models, k.ip_allowlist,
  k.domain_referrers, k.is_active, k.expires_at, k.max_requests, k.requests_used, k.last_used_at, k.revoked_at, k.created_at`;

export async function keysOfUser(db: Database, userId: number): Promise<UserRecord[]> {
  const result = await db.execute<UserRecord>(
    sql`select ${keyColumns} from api_keys k where k.user_id = ${userId} order by k.id`,
  );
  return result.rows;
}

export async function findKey(db: Database, where: { id: number } | { hash: string }): Promise<UserRecord | undefined> {
  const condition = "id" in where ? sql`k.id = ${where.id}` : sql`k.key_hash = ${where.hash}`;
  const result = await db.execute<UserRecord>(sql`select ${keyColumns} from api_keys k where ${condition}`);
  return result.rows[0];
}

export async function recentActivityOf(db: Database, userId: number, limit: number): Promise<UserRecord[]> {
  const result = await db.execute<UserRecord>(sql`select id, action, details, created_at from activity
    where user_id = ${userId} order by created_at desc, id desc limit ${limit}`);
  return result.rows;
}

export async function recentRequestsOf(db: Database, userId: number, limit: number): Promise<UserRecord[]> {
  const result = await db.execute<UserRecord>(sql`select request_id, requested_model, provider, status, http_status,
      prompt_tokens, completion_tokens, cost_usd::text as cost_usd, latency_ms, created_at
    from chat_completion_requests where user_id = ${userId} order by created_at desc, id desc limit ${limit}`);
  return result.rows;
}

export interface UserStatistics {
  total: number;
  active: number;
  admins: number;
  developers: number;
  regular: number;
  totalCredits: string;
  averageCredits: string;
  bySubscription: Record<string, number>;
}

/** The seed's user statistics, in one aggregate query plus one group-by (not by loading users). */
export async function userStatistics(db: Database, filter: UserFilter): Promise<UserStatistics> {
  const where = whereOf(filter);
  const [totals, statuses] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select count(*)::int as total, count(*) filter (where u.is_active)::int as active,
             count(*) filter (where u.role = 'admin' or u.is_admin)::int as admins,
             count(*) filter (where u.role = 'developer')::int as developers,
             count(*) filter (where u.role = 'user' and not u.is_admin)::int as regular,
             coalesce(sum(u.subscription_allowance + u.purchased_credits), 0)::text as credits,
             coalesce(round(avg(u.subscription_allowance + u.purchased_credits), 2), 0)::text as average
      from users u where ${where}`),
    db.execute<Record<string, unknown>>(sql`
      select u.subscription_status as status, count(*)::int as count from users u where ${where}
      group by u.subscription_status order by u.subscription_status`),
  ]);
  const row = totals.rows[0] ?? {};
  return {
    total: Number(row.total ?? 0),
    active: Number(row.active ?? 0),
    admins: Number(row.admins ?? 0),
    developers: Number(row.developers ?? 0),
    regular: Number(row.regular ?? 0),
    totalCredits: String(row.credits ?? "0"),
    averageCredits: String(row.average ?? "0"),
    bySubscription: Object.fromEntries(statuses.rows.map((entry) => [String(entry.status), Number(entry.count)])),
  };
}

/** Users registered before the window, and per UTC day in it (days without registrations included). */
export async function registrationsByDay(
  db: Database,
  days: number,
): Promise<{ baseline: number; daily: { date: string; newUsers: number }[] }> {
  const [baseline, daily] = await Promise.all([
    db.execute<{ total: number }>(sql`
      select count(*)::int as total from users
      where created_at < (date_trunc('day', now() at time zone 'UTC') - make_interval(days => ${days - 1})) at time zone 'UTC'`),
    db.execute<Record<string, unknown>>(sql`
      select to_char(day, 'YYYY-MM-DD') as date, count(u.id)::int as new_users
      from generate_series(date_trunc('day', now() at time zone 'UTC') - make_interval(days => ${days - 1}),
                           date_trunc('day', now() at time zone 'UTC'), interval '1 day') as day
      left join users u on date_trunc('day', u.created_at at time zone 'UTC') = day
      group by day order by day`),
  ]);
  return {
    baseline: Number(baseline.rows[0]?.total ?? 0),
    daily: daily.rows.map((row) => ({ date: String(row.date), newUsers: Number(row.new_users) })),
  };
}

/** Users whose email is at exactly this domain (case-insensitive). */
export async function usersAtDomain(db: Database, domain: string): Promise<UserRecord[]> {
  const result = await db.execute<UserRecord>(sql`select ${userColumns} from users u
    where lower(split_part(u.email, '@', 2)) = ${domain} order by u.id`);
  return result.rows;
}

/** Deletes the given users in one statement (their keys and ledger go with them; request logs keep no user). */
export async function deleteUsers(db: Database, userIds: number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const result = await db.execute<{ id: number }>(
    sql`delete from users where id in (${sql.join(userIds, sql`, `)}) returning id`,
  );
  return result.rows.map((row) => Number(row.id));
}

export interface TrialAnalytics {
  total: number;
  active: number;
  expired: number;
  converted: number;
  tokens: number;
  requests: number;
  creditsUsed: string;
  creditsAllocated: string;
}

/**
 * Trials as this schema keeps them: every account starts with one (trial_expires_at). Active and
 * expired are accounts still on status `trial`; converted ones moved on to `active`. Usage is what
 * accounts still on trial have used. One query, no table loaded into memory.
 */
export async function trialAnalytics(db: Database): Promise<TrialAnalytics> {
  const result = await db.execute<Record<string, unknown>>(sql`
    with trials as (
      select id, subscription_status, trial_expires_at from users where trial_expires_at is not null
    ),
    usage as (
      select coalesce(sum(r.prompt_tokens + r.completion_tokens), 0)::bigint as tokens, count(r.id)::int as requests
      from chat_completion_requests r join trials t on t.id = r.user_id
      where t.subscription_status = 'trial'
    ),
    ledger as (
      select coalesce(-sum(c.amount) filter (where c.type = 'api_usage'), 0)::text as used,
             coalesce(sum(c.amount) filter (where c.type = 'trial'), 0)::text as allocated
      from credit_transactions c join trials t on t.id = c.user_id
      where t.subscription_status = 'trial'
    )
    select (select count(*)::int from trials) as total,
           (select count(*)::int from trials where subscription_status = 'trial' and trial_expires_at > now()) as active,
           (select count(*)::int from trials where subscription_status = 'trial' and trial_expires_at <= now()) as expired,
           (select count(*)::int from trials where subscription_status = 'active') as converted,
           usage.tokens, usage.requests, ledger.used, ledger.allocated
    from usage, ledger`);
  const row = result.rows[0] ?? {};
  return {
    total: Number(row.total ?? 0),
    active: Number(row.active ?? 0),
    expired: Number(row.expired ?? 0),
    converted: Number(row.converted ?? 0),
    tokens: Number(row.tokens ?? 0),
    requests: Number(row.requests ?? 0),
    creditsUsed: String(row.used ?? "0"),
    creditsAllocated: String(row.allocated ?? "0"),
  };
}
