// Per-key rate-limit overrides (`rate_limit_configs`): the cached read on the hot path, and the
// admin's upsert and delete. The cache is per isolate: a change made through the admin API takes
// effect at once in the isolate that served it and within the TTL everywhere else.
import { eq } from "drizzle-orm";
import { TtlCache } from "../lib/ttl-cache";
import type { Database } from "./client";
import { apiKeys, type RateLimitConfigRow, rateLimitConfigs, users } from "./schema";

/** How long an override (or its absence) is trusted in an isolate. */
export const RATE_LIMIT_CONFIG_CACHE_TTL_SECONDS = 30;
/** After a failed read the tier defaults stand in this briefly, so a database outage is not retried per request. */
const FAILED_READ_TTL_MS = 5_000;

/** `null` caches "no override" so keys on tier defaults cost no query either. */
const overrideCache = new TtlCache<RateLimitConfigRow | null>();

export function forgetRateLimitOverride(apiKeyId: number): void {
  overrideCache.delete(String(apiKeyId));
}

/** Empties this isolate's override cache (POST /admin/clear-rate-limit-cache, tests). */
export function clearRateLimitConfigCache(): void {
  overrideCache.clear();
}

export async function findRateLimitOverride(db: Database, apiKeyId: number): Promise<RateLimitConfigRow | undefined> {
  const [row] = await db.select().from(rateLimitConfigs).where(eq(rateLimitConfigs.apiKeyId, apiKeyId)).limit(1);
  return row;
}

/**
 * The key's override, from the in-isolate cache when warm. `db` is only called on a miss, so a warm
 * key opens no connection. When the read fails, `onError` hears of it and the caller gets `null`
 * (tier defaults): rate limiting degrades, the request does not fail.
 */
export async function cachedRateLimitOverride(
  db: () => Database,
  apiKeyId: number,
  onError: (error: unknown) => void,
): Promise<RateLimitConfigRow | null> {
  const cacheKey = String(apiKeyId);
  const cached = overrideCache.get(cacheKey);
  if (cached !== undefined) return cached;
  try {
    const row = (await findRateLimitOverride(db(), apiKeyId)) ?? null;
    overrideCache.set(cacheKey, row, RATE_LIMIT_CONFIG_CACHE_TTL_SECONDS * 1000);
    return row;
  } catch (error) {
    onError(error);
    overrideCache.set(cacheKey, null, FAILED_READ_TTL_MS);
    return null;
  }
}

/** What the admin endpoints need to know about a key found by its hash. */
export interface RateLimitedKey {
  apiKeyId: number;
  keyPrefix: string;
  userId: number;
  tier: "basic" | "pro" | "max";
}

export async function findRateLimitedKeyByHash(db: Database, keyHash: string): Promise<RateLimitedKey | undefined> {
  const [row] = await db
    .select({ apiKeyId: apiKeys.id, keyPrefix: apiKeys.keyPrefix, userId: users.id, tier: users.tier })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1);
  return row;
}

/** The settable columns; null limits fall back to the owner's tier default. */
export type RateLimitConfigValues = Pick<
  RateLimitConfigRow,
  | "requestsPerMinute"
  | "requestsPerHour"
  | "requestsPerDay"
  | "tokensPerMinute"
  | "tokensPerHour"
  | "tokensPerDay"
  | "burstLimit"
  | "concurrencyLimit"
>;

/** Inserts or replaces the key's override (one statement) and forgets the cached copy here. */
export async function upsertRateLimitConfig(
  db: Database,
  apiKeyId: number,
  values: RateLimitConfigValues,
): Promise<RateLimitConfigRow> {
  const [row] = await db
    .insert(rateLimitConfigs)
    .values({ apiKeyId, ...values })
    .onConflictDoUpdate({ target: rateLimitConfigs.apiKeyId, set: { ...values, updatedAt: new Date() } })
    .returning();
  forgetRateLimitOverride(apiKeyId);
  if (!row) throw new Error(`upsert of rate_limit_configs for key ${apiKeyId} returned no row`);
  return row;
}

/** Removes the key's override (back to tier defaults); false when there was none. */
export async function deleteRateLimitConfig(db: Database, apiKeyId: number): Promise<boolean> {
  const deleted = await db
    .delete(rateLimitConfigs)
    .where(eq(rateLimitConfigs.apiKeyId, apiKeyId))
    .returning({ id: rateLimitConfigs.id });
  forgetRateLimitOverride(apiKeyId);
  return deleted.length > 0;
}
