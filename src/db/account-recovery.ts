// Account recovery (seed: password reset): a single-use, expiring token, stored as its SHA-256 only,
// whose redemption retires the primary API key and issues a new one.
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export interface RecoveryRecipient {
  userId: number;
  email: string;
}

/**
 * Stores a new token for the active account with this email and expires any earlier one still
 * outstanding (only the latest email works). Undefined when no such account exists.
 */
export async function issueRecoveryToken(
  db: Database,
  email: string,
  tokenHash: string,
  expiresAt: Date,
  details: Record<string, unknown>,
): Promise<RecoveryRecipient | undefined> {
  const result = await db.execute<{ user_id: number; email: string }>(sql`
    with target as (
      select id, email from users where email = ${email} and is_active limit 1
    ),
    superseded as (
      update password_reset_tokens set expires_at = least(expires_at, now())
      where user_id in (select id from target) and not used
    ),
    token as (
      insert into password_reset_tokens (token_hash, user_id, expires_at)
      select ${tokenHash}, id, ${expiresAt.toISOString()} from target
      returning user_id
    ),
    audit as (
      insert into activity (user_id, action, details)
      select user_id, 'account_recovery_requested', ${JSON.stringify(details)}::jsonb from token
    )
    select target.id as user_id, target.email from target, token`);
  const row = result.rows[0];
  return row ? { userId: Number(row.user_id), email: row.email } : undefined;
}

export type RecoveryTokenState =
  | { kind: "valid"; userId: number; environmentTag: "live" | "test" }
  | { kind: "invalid" }
  | { kind: "expired" };

/** What a presented token is, before anything is changed (the redemption re-checks atomically). */
export async function recoveryTokenState(db: Database, tokenHash: string): Promise<RecoveryTokenState> {
  const result = await db.execute<{
    user_id: number;
    used: boolean;
    expired: boolean;
    active: boolean;
    env: string;
  }>(sql`
    select t.user_id, t.used, t.expires_at <= now() as expired, u.is_active as active,
           coalesce((select k.environment_tag from api_keys k
                     where k.user_id = t.user_id and k.is_primary order by k.is_active desc, k.id desc limit 1), 'live') as env
    from password_reset_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${tokenHash}`);
  const row = result.rows[0];
  if (!row || row.used || !row.active) return { kind: "invalid" };
  if (row.expired) return { kind: "expired" };
  return { kind: "valid", userId: Number(row.user_id), environmentTag: row.env === "test" ? "test" : "live" };
}

export interface RecoveredAccount {
  userId: number;
  apiKeyId: number;
  retiredKeyHashes: string[];
}

/**
 * One statement: the token is consumed only if still unused and unexpired, the active primary key is
 * revoked, a new primary key is issued and the recovery is recorded. Undefined when the token was
 * consumed or expired in the meantime (two redemptions racing: one wins).
 */
export async function redeemRecoveryToken(
  db: Database,
  input: { tokenHash: string; keyHash: string; keyPrefix: string; environmentTag: "live" | "test"; ip: string | null },
): Promise<RecoveredAccount | undefined> {
  const result = await db.execute<{ user_id: number; api_key_id: number; retired: string[] }>(sql`
    with token as (
      update password_reset_tokens t set used = true, used_at = now()
      from users u
      where t.token_hash = ${input.tokenHash} and not t.used and t.expires_at > now() and u.id = t.user_id and u.is_active
      returning t.user_id
    ),
    retired as (
      update api_keys set is_active = false, is_primary = false, revoked_at = now(), updated_at = now()
      where user_id in (select user_id from token) and is_primary and is_active
      returning id, key_hash
    ),
    new_key as (
      insert into api_keys (user_id, key_hash, key_prefix, name, environment_tag, is_primary)
      select user_id, ${input.keyHash}, ${input.keyPrefix}, 'Primary Key', ${input.environmentTag}, true from token
      returning id, user_id
    ),
    audit as (
      insert into activity (user_id, action, details)
      select user_id, 'account_recovered',
             jsonb_build_object('ip', ${input.ip}::text, 'new_key_id', id,
                                'revoked_key_ids', coalesce((select jsonb_agg(id) from retired), '[]'::jsonb))
      from new_key
    )
    select new_key.user_id, new_key.id as api_key_id,
           coalesce((select array_agg(key_hash) from retired), '{}') as retired
    from new_key`);
  const row = result.rows[0];
  return row
    ? { userId: Number(row.user_id), apiKeyId: Number(row.api_key_id), retiredKeyHashes: row.retired }
    : undefined;
}
