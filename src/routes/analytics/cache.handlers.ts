import type { RouteHandler } from "@hono/zod-openapi";
import { cachedModels, cacheSavings, mergePreferences } from "../../db/cache-analytics";
import type { AppEnv } from "../../env";
import { badRequest, notFound } from "../../lib/errors";
import { usdNumberOf } from "../../lib/money";
import { percentOf } from "../../lib/percent";
import { currentUser, forgetCachedKey } from "../../middleware/auth";
import type {
  cacheAnalyticsRoute,
  cacheSummaryRoute,
  getPreferencesRoute,
  updatePreferencesRoute,
} from "./cache.routes";

export const cacheAnalytics: RouteHandler<typeof cacheAnalyticsRoute, AppEnv> = async (c) => {
  const { days } = c.req.valid("query");
  const { user } = currentUser(c);
  const db = c.var.db();
  const [savings, models] = await Promise.all([cacheSavings(db, user.id, days), cachedModels(db, user.id, days, 10)]);
  const end = new Date();
  return c.json(
    {
      period_days: days,
      start_date: new Date(end.getTime() - days * 86_400_000).toISOString(),
      end_date: end.toISOString(),
      total_requests: savings.totalRequests,
      cache_hits: savings.cacheHits,
      cache_misses: savings.totalRequests - savings.cacheHits,
      cache_hit_rate_percent: percentOf(savings.cacheHits, savings.totalRequests),
      total_savings_usd: usdNumberOf(savings.totalSavings),
      estimated_monthly_savings_usd: usdNumberOf(savings.monthlySavings),
      top_cached_models: models.map((model) => ({
        model_name: model.modelName,
        provider: model.provider,
        total_requests: model.totalRequests,
        cache_hits: model.cacheHits,
        cache_hit_rate_percent: percentOf(model.cacheHits, model.totalRequests),
        savings_usd: usdNumberOf(model.savings),
      })),
      cache_enabled: user.preferences.response_cache === true,
      system_enabled: true,
    },
    200,
  );
};

export const cacheSummary: RouteHandler<typeof cacheSummaryRoute, AppEnv> = async (c) => {
  const { user } = currentUser(c);
  const savings = await cacheSavings(c.var.db(), user.id, 30);
  return c.json(
    {
      total_requests: savings.totalRequests,
      cache_hits: savings.cacheHits,
      cache_hit_rate_percent: percentOf(savings.cacheHits, savings.totalRequests),
      total_savings_usd: usdNumberOf(savings.totalSavings),
      estimated_monthly_savings_usd: usdNumberOf(savings.monthlySavings),
      cache_enabled: user.preferences.response_cache === true,
      system_enabled: true,
    },
    200,
  );
};

export const getPreferences: RouteHandler<typeof getPreferencesRoute, AppEnv> = async (c) =>
  c.json({ preferences: currentUser(c).user.preferences }, 200);

export const updatePreferences: RouteHandler<typeof updatePreferencesRoute, AppEnv> = async (c) => {
  const changes = c.req.valid("json");
  if (Object.keys(changes).length === 0) throw badRequest("No preferences to change", "no_changes");
  const updated = await mergePreferences(c.var.db(), currentUser(c).user.id, changes);
  if (!updated) throw notFound("User not found", "user_not_found");
  // The preference is read from the cached key identity: drop it here (other isolates: within the TTL).
  forgetCachedKey(...updated.keyHashes);
  return c.json({ preferences: updated.preferences }, 200);
};
