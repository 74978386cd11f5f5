// Queries about users: registration (one atomic statement) and balance reads.
import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { type UserRow, users } from "./schema";

export interface NewRegistration {
  username: string;
  email: string;
  subscriptionStatus: "trial" | "bot";
  authMethod: "email" | "google" | "github" | "phone";
  trialExpiresAt: Date;
  /** Exact decimal USD string, e.g. "5.000000000". */
  signupCredits: string;
  keyHash: string;
  keyPrefix: string;
  keyName: string;
  environmentTag: "live" | "test";
  referralCode: string | null;
  clientIp: string | null;
  /** The identity token's subject when the account is created by POST /auth. */
  authSubject?: string | null;
}

export interface RegisteredUser {
  userId: number;
  apiKeyId: number;
  createdAt: Date;
}

/**
 * Creates the user, the primary API key, the signup-credit ledger row and the activity row in one
 * statement: either all of it exists afterwards or none of it does. Duplicate email/username surface
 * as unique violations (constraints users_email_unique / users_username_unique).
 */
export async function registerUser(db: Database, input: NewRegistration): Promise<RegisteredUser> {
  const result = await db.execute<{ user_id: number; api_key_id: number; created_at: string }>(sql`
    with new_user as (
      insert into users (username, email, auth_method, subscription_status, tier, trial_expires_at, purchased_credits, referred_by_code,
                         auth_subject)
      values (${input.username}, ${input.email}, ${input.authMethod}, ${input.subscriptionStatus}, 'basic', ${input.trialExpiresAt.toISOString()},
              ${input.signupCredits}, ${input.referralCode}, ${input.authSubject ?? null})
      returning id, created_at
    ),
    new_key as (
      insert into api_keys (user_id, key_hash, key_prefix, name, environment_tag, is_primary)
      select id, ${input.keyHash}, ${input.keyPrefix}, ${input.keyName}, ${input.environmentTag}, true from new_user
      returning id
    ),
    ledger as (
      insert into credit_transactions (user_id, amount, type, balance_before, balance_after, description, metadata, created_by, idempotency_key)
      select id, ${input.signupCredits}, 'trial', 0, ${input.signupCredits}, 'Signup trial credits',
             ${JSON.stringify({ reason: "signup" })}::jsonb, 'system:signup', 'signup:' || id from new_user
    ),
    audit as (
      insert into activity (user_id, action, details)
      select id, 'user_registered', ${JSON.stringify({ auth_method: input.authMethod, ip: input.clientIp, status: input.subscriptionStatus })}::jsonb
      from new_user
    )
    select new_user.id as user_id, new_key.id as api_key_id, new_user.created_at from new_user, new_key
  `);
  const row = result.rows[0];
  if (!row) throw new Error("registration statement returned no row");
  return { userId: Number(row.user_id), apiKeyId: Number(row.api_key_id), createdAt: new Date(row.created_at) };
}

export async function findUserById(db: Database, userId: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return row;
}

export interface UserBalance {
  subscriptionAllowance: string;
  purchasedCredits: string;
}

export async function findUserBalance(db: Database, userId: number): Promise<UserBalance | undefined> {
  const [row] = await db
    .select({ subscriptionAllowance: users.subscriptionAllowance, purchasedCredits: users.purchasedCredits })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}
