// POST /auth's queries: find the account of a verified identity, and issue a returning user's sign-in key.
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export interface SignInAccount {
  id: number;
  username: string;
  email: string;
  isActive: boolean;
  authMethod: string;
  subscriptionStatus: string;
  tier: string;
  trialExpiresAt: Date | null;
  subscriptionAllowance: string;
  purchasedCredits: string;
}

const accountColumns = sql`id, username, email, is_active, auth_method, subscription_status, tier, trial_expires_at,
  subscription_allowance::text as subscription_allowance, purchased_credits::text as purchased_credits`;

function accountOf(row: Record<string, unknown>): SignInAccount {
  return {
    id: Number(row.id),
    username: String(row.username),
    email: String(row.email),
    isActive: row.is_active === true,
    authMethod: String(row.auth_method),
    subscriptionStatus: String(row.subscription_status),
    tier: String(row.tier),
    trialExpiresAt: row.trial_expires_at ? new Date(String(row.trial_expires_at)) : null,
    subscriptionAllowance: String(row.subscription_allowance),
    purchasedCredits: String(row.purchased_credits),
  };
}

/**
 * The account of this subject; else the account registered with the token's verified email, which is
 * linked to the subject now (never one already linked to another subject: that would be a takeover).
 */
export async function findSignInAccount(
  db: Database,
  subject: string,
  verifiedEmail: string | null,
): Promise<SignInAccount | undefined> {
  const bySubject = await db.execute<Record<string, unknown>>(
    sql`select ${accountColumns} from users where auth_subject = ${subject} limit 1`,
  );
  if (bySubject.rows[0]) return accountOf(bySubject.rows[0]);
  if (!verifiedEmail) return undefined;
  const linked = await db.execute<Record<string, unknown>>(sql`
    update users set auth_subject = ${subject}, updated_at = now()
    where email = ${verifiedEmail} and auth_subject is null
    returning ${accountColumns}`);
  return linked.rows[0] ? accountOf(linked.rows[0]) : undefined;
}

export interface NewSignInKey {
  userId: number;
  keyHash: string;
  keyPrefix: string;
  environmentTag: "live" | "test";
  expiresAt: Date;
  details: Record<string, unknown>;
}

/**
 * One statement: the user's previous sign-in key is revoked, a new one is issued, the login is
 * recorded. Keys are stored hashed, so a returning user cannot be shown an existing key again.
 */
export async function issueSignInKey(
  db: Database,
  input: NewSignInKey,
): Promise<{ apiKeyId: number; revokedKeyHashes: string[] }> {
  const result = await db.execute<{ api_key_id: number; revoked: string[] }>(sql`
    with revoked as (
      update api_keys set is_active = false, revoked_at = now(), updated_at = now()
      where user_id = ${input.userId} and issued_for = 'sign_in' and is_active
      returning key_hash
    ),
    new_key as (
      insert into api_keys (user_id, key_hash, key_prefix, name, environment_tag, issued_for, expires_at)
      values (${input.userId}, ${input.keyHash}, ${input.keyPrefix}, 'Sign-in key', ${input.environmentTag}, 'sign_in',
              ${input.expiresAt.toISOString()})
      returning id
    ),
    audit as (
      insert into activity (user_id, action, details)
      values (${input.userId}, 'user_login', ${JSON.stringify(input.details)}::jsonb)
    )
    select new_key.id as api_key_id, coalesce((select array_agg(key_hash) from revoked), '{}') as revoked from new_key`);
  const row = result.rows[0];
  if (!row) throw new Error("sign-in key statement returned no row");
  return { apiKeyId: Number(row.api_key_id), revokedKeyHashes: row.revoked };
}

/** A login that issues no key (auto_create_api_key: false) is still recorded. */
export async function recordLogin(db: Database, userId: number, details: Record<string, unknown>): Promise<void> {
  await db.execute(
    sql`insert into activity (user_id, action, details) values (${userId}, 'user_login', ${JSON.stringify(details)}::jsonb)`,
  );
}
