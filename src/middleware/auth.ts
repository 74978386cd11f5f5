// API-key authentication. The key's hash is the cache key: a warm key costs no Postgres round trip
// (except keys with a max_requests cap, which are counted atomically). Revocation reaches this
// isolate at once and every other isolate within AUTH_CACHE_TTL_SECONDS.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { consumeCappedKeyRequest, findKeyIdentityByHash, type KeyIdentity, recordKeyUse } from "../db/api-keys";
import type { AppEnv } from "../env";
import { constantTimeEqual, sha256Hex } from "../lib/crypto";
import { forbidden, paymentRequired, tooManyRequests, unauthorized } from "../lib/errors";
import { ipAllowed } from "../lib/ip";
import { hostOf, referrerAllowed } from "../lib/referrer";
import { TtlCache } from "../lib/ttl-cache";

export const apiKeyScopes = ["inference", "account", "admin"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** `null` caches "no such key" (briefly) so a flood of bad keys does not reach Postgres. */
const identityCache = new TtlCache<KeyIdentity | null>();

export function forgetCachedKey(...keyHashes: string[]): void {
  for (const keyHash of keyHashes) identityCache.delete(keyHash);
}

/** For tests that need a cold cache in this isolate. */
export function clearAuthCache(): void {
  identityCache.clear();
}

export function presentedKey(c: Context<AppEnv>): string | undefined {
  const authorization = c.req.header("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  // Anthropic's SDKs send the key in x-api-key.
  return c.req.header("x-api-key")?.trim() || undefined;
}

async function lookupIdentity(c: Context<AppEnv>, keyHash: string): Promise<KeyIdentity | null> {
  const cached = identityCache.get(keyHash);
  if (cached !== undefined) return cached;
  const identity = (await findKeyIdentityByHash(c.var.db(), keyHash)) ?? null;
  const { AUTH_CACHE_TTL_SECONDS, AUTH_NEGATIVE_CACHE_TTL_SECONDS } = c.var.config;
  identityCache.set(keyHash, identity, (identity ? AUTH_CACHE_TTL_SECONDS : AUTH_NEGATIVE_CACHE_TTL_SECONDS) * 1000);
  return identity;
}

export function clientIp(c: Context<AppEnv>): string | null {
  // Cloudflare sets cf-connecting-ip and overwrites any value a client sends.
  return c.req.header("cf-connecting-ip") ?? null;
}

function isExpiredTrial(user: KeyIdentity["user"], now: number): boolean {
  return user.subscriptionStatus === "trial" && user.trialExpiresAt !== null && user.trialExpiresAt.getTime() < now;
}

/**
 * Checks, in the seeds' order: key exists and is active, not expired, IP allowlist, referrer domains,
 * account active, scope, trial, request cap. Status codes: 401 / 403 / 402 / 429.
 */
async function authenticateUserKey(
  c: Context<AppEnv>,
  token: string,
  options: { scope: ApiKeyScope; onExpiredTrial: ExpiredTrialRule; countUseAtSettlement?: boolean },
): Promise<KeyIdentity> {
  const identity = await lookupIdentity(c, await sha256Hex(token));
  if (!identity) throw unauthorized("Invalid API key");
  const { key, user } = identity;
  const now = Date.now();
  if (!key.isActive) throw unauthorized("API key is inactive or has been revoked", "revoked_api_key");
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now)
    throw unauthorized("API key expired", "expired_api_key");
  if (!ipAllowed(clientIp(c), key.ipAllowlist))
    throw forbidden("IP address not allowed for this API key", "ip_not_allowed");
  const referrer = hostOf(c.req.header("referer") ?? c.req.header("origin"));
  if (!referrerAllowed(referrer, key.domainReferrers)) {
    throw forbidden("Referrer domain not allowed for this API key", "referrer_not_allowed");
  }
  if (!user.isActive) throw forbidden("This account is disabled", "account_disabled");
  if (key.scopes.length > 0 && !key.scopes.includes(options.scope)) {
    throw forbidden(`This API key lacks the '${options.scope}' scope`, "insufficient_scope");
  }
  if (options.onExpiredTrial !== "allow" && isExpiredTrial(user, now)) {
    const message = "Your free trial has expired. Add credits or subscribe to continue.";
    // The seeds answer 402 on account routes and 403 on inference routes.
    throw options.onExpiredTrial === "payment_required"
      ? paymentRequired(message, "trial_expired")
      : forbidden(message, "trial_expired");
  }
  // Seed check_user_plan: inference needs a live plan; account routes stay open (to pay, to read).
  if (options.onExpiredTrial === "forbidden" && user.subscriptionStatus === "inactive") {
    throw forbidden("Your subscription is inactive. Renew it or contact support to continue.", "subscription_inactive");
  }
  if (key.maxRequests !== null) {
    const used = key.requestsUsed < key.maxRequests ? await consumeCappedKeyRequest(c.var.db(), key.id) : undefined;
    if (used === undefined) {
      forgetCachedKey(key.keyHash);
      throw tooManyRequests(`API key request limit reached (${key.maxRequests} requests)`, "key_request_limit_reached");
    }
    key.requestsUsed = used;
  } else if (!options.countUseAtSettlement) {
    c.var.defer(recordKeyUse(c.var.sql(), key.id));
  }
  return identity;
}

/** What an expired trial gets: 402 on account routes, 403 on inference (seed), or nothing. */
export type ExpiredTrialRule = "payment_required" | "forbidden" | "allow";

export interface RequireApiKeyOptions {
  scope: ApiKeyScope;
  onExpiredTrial?: ExpiredTrialRule;
  /**
   * Inference routes: the key's use (requests_used, last_used_at) is written by the request's
   * settlement statement, not by a statement of its own.
   */
  countUseAtSettlement?: boolean;
}

export function requireApiKey(options: RequireApiKeyOptions) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = presentedKey(c);
    if (!token) throw unauthorized("Authorization header is required (Bearer <api key>)", "missing_api_key");
    const { key, user } = await authenticateUserKey(c, token, {
      scope: options.scope,
      onExpiredTrial: options.onExpiredTrial ?? "payment_required",
      countUseAtSettlement: options.countUseAtSettlement,
    });
    c.set("auth", { kind: "user", user, key, isAdmin: user.isAdmin || user.role === "admin" });
    await next();
  });
}

/**
 * Every inference front door: an expired trial is 403 (seed), and the key's use is counted by the
 * settlement statement, not here.
 */
export const requireInferenceKey = requireApiKey({
  scope: "inference",
  onExpiredTrial: "forbidden",
  countUseAtSettlement: true,
});

/** Admin: the bootstrap ADMIN_API_KEY (constant-time compare) or the key of a user with role admin / is_admin. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = presentedKey(c);
  if (!token) throw unauthorized("Authorization header is required (Bearer <api key>)", "missing_api_key");
  const adminKey = c.var.config.ADMIN_API_KEY;
  if (adminKey && (await constantTimeEqual(token, adminKey))) {
    c.set("auth", { kind: "admin_key", isAdmin: true });
    await next();
    return;
  }
  const { key, user } = await authenticateUserKey(c, token, { scope: "admin", onExpiredTrial: "allow" });
  if (!(user.isAdmin || user.role === "admin")) {
    console.warn(JSON.stringify({ msg: "UNAUTHORIZED_ADMIN_ACCESS", request_id: c.var.requestId, user_id: user.id }));
    throw forbidden("Administrator privileges required", "admin_required");
  }
  c.set("auth", { kind: "user", user, key, isAdmin: true });
  await next();
});

/** The authenticated user of a route behind requireApiKey. */
export function currentUser(c: Context<AppEnv>): { user: KeyIdentity["user"]; key: KeyIdentity["key"] } {
  const auth = c.var.auth;
  if (auth.kind !== "user") throw unauthorized("This endpoint needs a user API key");
  return auth;
}
