// An operator changing an account's plan: tier, subscription status, trial end, role, enabled.
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export interface AccountChanges {
  tier?: "basic" | "pro" | "max";
  subscriptionStatus?: "trial" | "active" | "bot" | "inactive";
  trialExpiresAt?: Date | null;
  role?: "user" | "developer" | "admin";
  isActive?: boolean;
}

const columns = {
  tier: "tier",
  subscriptionStatus: "subscription_status",
  trialExpiresAt: "trial_expires_at",
  role: "role",
  isActive: "is_active",
} as const;

export interface AccountUpdate {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  keyHashes: string[];
}

/**
 * One statement: the row is locked, changed, and the change (each field from → to) recorded in the
 * activity trail. Returns the user's key hashes so the caller can drop them from the auth cache.
 */
export async function updateAccount(
  db: Database,
  userId: number,
  changes: AccountChanges,
  changedBy: string,
): Promise<AccountUpdate | undefined> {
  const assignments = Object.entries(changes).map(([field, value]) => {
    const column = sql.raw(columns[field as keyof AccountChanges]);
    const param = value instanceof Date ? value.toISOString() : value;
    return sql`${column} = ${param ?? null}`;
  });
  const snapshot = sql`jsonb_build_object('tier', tier, 'subscription_status', subscription_status,
    'trial_expires_at', trial_expires_at, 'role', role, 'is_active', is_active)`;
  const result = await db.execute<{
    before: Record<string, unknown>;
    after: Record<string, unknown>;
    key_hashes: string[];
  }>(sql`
    with previous as (
      select id, ${snapshot} as state from users where id = ${userId} for update
    ),
    changed as (
      update users set ${sql.join(assignments, sql`, `)}, updated_at = now()
      where id in (select id from previous)
      returning id, ${snapshot} as state
    ),
    audit as (
      insert into activity (user_id, action, details)
      select changed.id, 'account_updated',
             jsonb_build_object('by', ${changedBy}::text, 'before', previous.state, 'after', changed.state)
      from changed join previous using (id)
    )
    select previous.state as before, changed.state as after,
           coalesce((select array_agg(key_hash) from api_keys where user_id = ${userId}), '{}') as key_hashes
    from changed join previous using (id)`);
  const row = result.rows[0];
  return row ? { before: row.before, after: row.after, keyHashes: row.key_hashes } : undefined;
}
