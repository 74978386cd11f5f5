import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";

const tags = ["Response cache"];

const totals = {
  total_requests: z.number().int(),
  cache_hits: z.number().int(),
  cache_hit_rate_percent: z.number(),
  total_savings_usd: z.number(),
  estimated_monthly_savings_usd: z.number(),
  cache_enabled: z
    .boolean()
    .openapi({ description: "Your preference: every request is cached unless it says otherwise" }),
  system_enabled: z.boolean(),
};

export const cacheAnalyticsRoute = createRoute({
  method: "get",
  path: "/v1/analytics/cache",
  tags,
  summary: "Your response-cache hits, misses and savings over `days`",
  description:
    "Counts your completed requests; a hit cost nothing and saved what the original answer cost. Models are the " +
    "ones with at least one hit, most hits first.",
  security: userKeySecurity,
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }) },
  responses: {
    200: jsonContent(
      z
        .object({
          period_days: z.number().int(),
          start_date: z.string(),
          end_date: z.string(),
          ...totals,
          cache_misses: z.number().int(),
          top_cached_models: z.array(
            z.object({
              model_name: z.string(),
              provider: z.string().nullable(),
              total_requests: z.number().int(),
              cache_hits: z.number().int(),
              cache_hit_rate_percent: z.number(),
              savings_usd: z.number(),
            }),
          ),
        })
        .openapi("CacheAnalytics"),
      "The analytics",
    ),
    ...errorResponses(400, 401, 402, 403, 500, 503),
  },
});

export const cacheSummaryRoute = createRoute({
  method: "get",
  path: "/v1/analytics/cache/summary",
  tags,
  summary: "Your response-cache savings over the last 30 days",
  security: userKeySecurity,
  responses: {
    200: jsonContent(z.object(totals).openapi("CacheSummary"), "The summary"),
    ...errorResponses(401, 402, 403, 500, 503),
  },
});

export const PreferencesSchema = z
  .object({
    response_cache: z
      .boolean()
      .optional()
      .openapi({ description: "Cache every chat completion unless the request says `cache: false`" }),
  })
  .strict()
  .openapi("Preferences");

export const getPreferencesRoute = createRoute({
  method: "get",
  path: "/user/preferences",
  tags: ["Account"],
  summary: "Your account preferences",
  security: userKeySecurity,
  responses: {
    200: jsonContent(z.object({ preferences: z.record(z.string(), z.unknown()) }), "The preferences"),
    ...errorResponses(401, 402, 403, 500, 503),
  },
});

export const updatePreferencesRoute = createRoute({
  method: "patch",
  path: "/user/preferences",
  tags: ["Account"],
  summary: "Change your account preferences (response_cache)",
  security: userKeySecurity,
  request: { body: { required: true, content: { "application/json": { schema: PreferencesSchema } } } },
  responses: {
    200: jsonContent(z.object({ preferences: z.record(z.string(), z.unknown()) }), "The preferences after the change"),
    ...errorResponses(400, 401, 402, 403, 500, 503),
  },
});
