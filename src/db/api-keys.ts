// Queries about API keys: the auth lookup, listing, creation, revocation and usage counting.
import { and, asc, eq, sql } from "drizzle-orm";
import { type AnyDatabase, type Database, queryRows } from "./client";
import { type ApiKeyRow, apiKeys, users } from "./schema";

/** What authentication needs about a key and its owner; cached in-isolate by key hash. */
export interface KeyIdentity {
  key: Pick<
    ApiKeyRow,
    | "id"
    | "userId"
    | "keyHash"
    | "isActive"
    | "expiresAt"
    | "maxRequests"
    | "requestsUsed"
    | "scopes"
    | "allowedModels"
    | "ipAllowlist"
    | "domainReferrers"
  >;
  user: {
    id: number;
    username: string;
    email: string;
    role: "user" | "developer" | "admin";
    isAdmin: boolean;
    isActive: boolean;
    subscriptionStatus: "trial" | "active" | "bot" | "inactive";
    tier: "basic" | "pro" | "max";
    trialExpiresAt: Date | null;
    /** Account preferences, e.g. {"response_cache": true}. */
    preferences: Record<string, unknown>;
  };
}

export async function findKeyIdentityByHash(db: Database, keyHash: string): Promise<KeyIdentity | undefined> {
  const [row] = await db
    .select({
      key: {
        id: apiKeys.id,
        userId: apiKeys.userId,
        keyHash: apiKeys.keyHash,
        isActive: apiKeys.isActive,
        expiresAt: apiKeys.expiresAt,
        maxRequests: apiKeys.maxRequests,
        requestsUsed: apiKeys.requestsUsed,
        scopes: apiKeys.scopes,
        allowedModels: apiKeys.allowedModels,
        ipAllowlist: apiKeys.ipAllowlist,
        domainReferrers: apiKeys.domainReferrers,
      },
      user: {
        id: users.id,
        username: users.username,
        email: users.email,
        role: users.role,
        isAdmin: users.isAdmin,
        isActive: users.isActive,
        subscriptionStatus: users.subscriptionStatus,
        tier: users.tier,
        trialExpiresAt: users.trialExpiresAt,
        preferences: users.preferences,
      },
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1);
  return row;
}

/**
 * Counts one request against a capped key, atomically: no row back means the cap is reached.
 * Returns the new count.
 */
export async function consumeCappedKeyRequest(db: Database, keyId: number): Promise<number | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ requestsUsed: sql`${apiKeys.requestsUsed} + 1`, lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), sql`${apiKeys.requestsUsed} < ${apiKeys.maxRequests}`))
    .returning({ requestsUsed: apiKeys.requestsUsed });
  return row?.requestsUsed;
}

/** Usage bookkeeping for uncapped keys; runs after the response. */
export async function recordKeyUse(db: AnyDatabase, keyId: number): Promise<void> {
  await queryRows(
    db,
    sql`update api_keys set requests_used = requests_used + 1, last_used_at = now() where id = ${keyId}`,
  );
}

export async function listKeysOfUser(db: Database, userId: number): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(asc(apiKeys.id));
}

export interface NewApiKey {
  userId: number;
  keyHash: string;
  keyPrefix: string;
  name: string;
  environmentTag: "live" | "test";
  scopes: string[];
  allowedModels: string[];
  ipAllowlist: string[];
  domainReferrers: string[];
  expiresAt: Date | null;
  maxRequests: number | null;
}

/**
 * Inserts the key unless the user already has `maxActiveKeys` active keys (then returns undefined).
 * A soft cap: two simultaneous creations may both pass the count.
 */
export async function createKeyForUser(
  db: Database,
  input: NewApiKey,
  maxActiveKeys: number,
): Promise<ApiKeyRow | undefined> {
  const active = await db.$count(apiKeys, and(eq(apiKeys.userId, input.userId), eq(apiKeys.isActive, true)));
  if (active >= maxActiveKeys) return undefined;
  const [row] = await db.insert(apiKeys).values(input).returning();
  return row;
}

export type RevokeOutcome =
  | { kind: "revoked"; keyHash: string; revokedAt: Date }
  | { kind: "already_revoked"; keyHash: string; revokedAt: Date | null }
  | { kind: "not_found" }
  | { kind: "last_active_key" };

/** Revokes a user's key, refusing to revoke the user's last active key (it would lock them out). */
export async function revokeKeyOfUser(db: Database, userId: number, keyId: number): Promise<RevokeOutcome> {
  const [revoked] = await db
    .update(apiKeys)
    .set({ isActive: false, revokedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, keyId),
        eq(apiKeys.userId, userId),
        eq(apiKeys.isActive, true),
        sql`exists (select 1 from api_keys other where other.user_id = ${userId} and other.is_active and other.id <> ${keyId})`,
      ),
    )
    .returning({ keyHash: apiKeys.keyHash, revokedAt: apiKeys.revokedAt });
  if (revoked) return { kind: "revoked", keyHash: revoked.keyHash, revokedAt: revoked.revokedAt ?? new Date() };

  const [existing] = await db
    .select({ keyHash: apiKeys.keyHash, isActive: apiKeys.isActive, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)));
  if (!existing) return { kind: "not_found" };
  if (!existing.isActive) return { kind: "already_revoked", keyHash: existing.keyHash, revokedAt: existing.revokedAt };
  return { kind: "last_active_key" };
}
