import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  clearRateLimitConfigCache,
  deleteRateLimitConfig,
  findRateLimitedKeyByHash,
  findRateLimitOverride,
  type RateLimitedKey,
  upsertRateLimitConfig,
} from "../../../db/rate-limit-configs";
import type { RateLimitConfigRow } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { effectiveLimits, type RateLimits } from "../../../gateway/rate-limits";
import { sha256Hex } from "../../../lib/crypto";
import { badRequest, notFound } from "../../../lib/errors";
import type {
  clearRateLimitCacheRoute,
  deleteRateLimitRoute,
  getRateLimitRoute,
  setRateLimitRoute,
} from "./limits.routes";

/** Admin lookups "by API key" hash the given key: only hashes are stored. */
async function findKey(c: Context<AppEnv>, apiKey: string): Promise<RateLimitedKey | undefined> {
  return findRateLimitedKeyByHash(c.var.db(), await sha256Hex(apiKey));
}

function presentStored(row: RateLimitConfigRow) {
  return {
    requests_per_minute: row.requestsPerMinute,
    requests_per_hour: row.requestsPerHour,
    requests_per_day: row.requestsPerDay,
    tokens_per_minute: row.tokensPerMinute,
    tokens_per_hour: row.tokensPerHour,
    tokens_per_day: row.tokensPerDay,
    burst_limit: row.burstLimit,
    concurrency_limit: row.concurrencyLimit,
  };
}

function presentEffective(limits: RateLimits) {
  return {
    requests_per_minute: limits.requestsPerMinute,
    requests_per_hour: limits.requestsPerHour,
    requests_per_day: limits.requestsPerDay,
    tokens_per_minute: limits.tokensPerMinute,
    tokens_per_hour: limits.tokensPerHour,
    tokens_per_day: limits.tokensPerDay,
  };
}

export const setRateLimit: RouteHandler<typeof setRateLimitRoute, AppEnv> = async (c) => {
  const { api_key: apiKey, rate_limits: settings } = c.req.valid("json");
  const key = await findKey(c, apiKey);
  // The seeds answer 400 here (the lookup's ValueError), not 404.
  if (!key) throw badRequest("API key not found", "api_key_not_found", "api_key");
  const row = await upsertRateLimitConfig(c.var.db(), key.apiKeyId, {
    requestsPerMinute: settings.requests_per_minute,
    requestsPerHour: settings.requests_per_hour,
    requestsPerDay: settings.requests_per_day,
    tokensPerMinute: settings.tokens_per_minute,
    tokensPerHour: settings.tokens_per_hour,
    tokensPerDay: settings.tokens_per_day,
    burstLimit: settings.burst_limit,
    concurrencyLimit: settings.concurrency_limit,
  });
  return c.json(
    {
      status: "success" as const,
      message: `Rate limits updated for user ${apiKey.slice(0, 10)}...`,
      api_key_id: key.apiKeyId,
      rate_limits: presentStored(row),
      effective_limits: presentEffective(effectiveLimits(key.tier, row)),
    },
    200,
  );
};

export const getRateLimit: RouteHandler<typeof getRateLimitRoute, AppEnv> = async (c) => {
  const { api_key: apiKey } = c.req.valid("query");
  const key = await findKey(c, apiKey);
  if (!key) throw notFound("API key not found", "api_key_not_found");
  // Uncached: an admin wants what is stored now, not what an isolate remembers.
  const row = await findRateLimitOverride(c.var.db(), key.apiKeyId);
  return c.json(
    {
      api_key_id: key.apiKeyId,
      key_prefix: key.keyPrefix,
      tier: key.tier,
      overridden: row !== undefined,
      rate_limits: presentEffective(effectiveLimits(key.tier, row)),
      override: row ? presentStored(row) : null,
    },
    200,
  );
};

export const deleteRateLimit: RouteHandler<typeof deleteRateLimitRoute, AppEnv> = async (c) => {
  const { api_key: apiKey } = c.req.valid("query");
  const key = await findKey(c, apiKey);
  if (!key) throw notFound("API key not found", "api_key_not_found");
  const removed = await deleteRateLimitConfig(c.var.db(), key.apiKeyId);
  return c.json(
    {
      status: "success" as const,
      message: removed
        ? `Rate limit override removed for user ${apiKey.slice(0, 10)}...; the ${key.tier} tier's defaults apply`
        : `No rate limit override for user ${apiKey.slice(0, 10)}...; the ${key.tier} tier's defaults apply`,
      api_key_id: key.apiKeyId,
      removed,
      rate_limits: presentEffective(effectiveLimits(key.tier)),
    },
    200,
  );
};

export const clearRateLimitCache: RouteHandler<typeof clearRateLimitCacheRoute, AppEnv> = async (c) => {
  clearRateLimitConfigCache();
  console.info(JSON.stringify({ msg: "rate limit config cache cleared", request_id: c.var.requestId }));
  return c.json(
    {
      status: "success" as const,
      message:
        "Rate limit configuration cache cleared in this isolate: its next requests reload each key's limits from the database " +
        "(other isolates within 30 s). Redis counters are untouched.",
      timestamp: new Date().toISOString(),
    },
    200,
  );
};
