// Admin reads of users and keys: filtered lists with an exact total, one user with their keys and
// recent activity, lookups by key (keys are stored hashed; a lookup hashes the given key).
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";

export interface UserFilter {
  email?: string;
  keyPrefix?: string;
  isActive?: boolean;
  role?: string;
  subscriptionStatus?: string;
}

function whereOf(filter: UserFilter): SQL {
  const conditions: SQL[] = [sql`true`];
  // ilike with the user's text escaped: % and _ match themselves.
  const like = (value: string) => `%${value.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  if (filter.email) conditions.push(sql`u.email ilike ${like(filter.email)}`);
  if (filter.keyPrefix) {
    conditions.push(
      sql`exists (select 1 from api_keys k where k.user_id = u.id and k.key_prefix ilike ${like(filter.keyPrefix)})`,
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
