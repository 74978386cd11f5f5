import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses } from "../../common.schemas";

/** Columns are Postgres `integer`. */
const MAX_LIMIT = 2_147_483_647;

const positiveLimit = () => z.number().int().positive().max(MAX_LIMIT);
/** Omitted: the seeds' default; null: the owner's tier default. */
const overridableLimit = (fallback: number) =>
  positiveLimit()
    .nullable()
    .default(fallback)
    .openapi({ description: `Default ${fallback}; null means the tier's default` });

export const RateLimitSettingsSchema = z
  .strictObject({
    requests_per_minute: overridableLimit(60),
    requests_per_hour: overridableLimit(1_000),
    requests_per_day: overridableLimit(10_000),
    tokens_per_minute: overridableLimit(10_000),
    tokens_per_hour: overridableLimit(100_000),
    tokens_per_day: overridableLimit(1_000_000),
    burst_limit: positiveLimit().default(100),
    concurrency_limit: positiveLimit().nullable().default(50).openapi({
      description: "Requests of this key in flight at once (the per-key concurrency gate); null: no gate",
    }),
  })
  .openapi("RateLimitSettings");

export const SetRateLimitRequestSchema = z
  .object({
    api_key: z.string().trim().min(1).max(200).openapi({ description: "The full API key", example: "gw_live_…" }),
    rate_limits: RateLimitSettingsSchema,
  })
  .openapi("SetRateLimitRequest");

export const StoredRateLimitsSchema = z
  .object({
    requests_per_minute: z.number().int().nullable(),
    requests_per_hour: z.number().int().nullable(),
    requests_per_day: z.number().int().nullable(),
    tokens_per_minute: z.number().int().nullable(),
    tokens_per_hour: z.number().int().nullable(),
    tokens_per_day: z.number().int().nullable(),
    burst_limit: z.number().int(),
    concurrency_limit: z.number().int().nullable(),
  })
  .openapi("StoredRateLimits");

export const EffectiveRateLimitsSchema = z
  .object({
    requests_per_minute: z.number().int(),
    requests_per_hour: z.number().int(),
    requests_per_day: z.number().int(),
    tokens_per_minute: z.number().int(),
    tokens_per_hour: z.number().int(),
    tokens_per_day: z.number().int(),
  })
  .openapi("EffectiveRateLimits");

export const SetRateLimitResponseSchema = z
  .object({
    status: z.literal("success"),
    message: z.string().openapi({ example: "Rate limits updated for user gw_live_a1..." }),
    api_key_id: z.number().int(),
    rate_limits: StoredRateLimitsSchema,
    effective_limits: EffectiveRateLimitsSchema,
  })
  .openapi("SetRateLimitResponse");

export const KeyRateLimitsSchema = z
  .object({
    api_key_id: z.number().int(),
    key_prefix: z.string(),
    tier: z.enum(["basic", "pro", "max"]),
    overridden: z.boolean().openapi({ description: "Whether the key has its own rate_limit_configs row" }),
    rate_limits: EffectiveRateLimitsSchema,
    override: StoredRateLimitsSchema.nullable(),
  })
  .openapi("KeyRateLimits");

export const RemovedRateLimitsSchema = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    api_key_id: z.number().int(),
    removed: z.boolean().openapi({ description: "False when the key had no override" }),
    rate_limits: EffectiveRateLimitsSchema,
  })
  .openapi("RemovedRateLimits");

export const ClearedRateLimitCacheSchema = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    timestamp: z.string(),
  })
  .openapi("ClearedRateLimitCache");

const apiKeyQuery = z.object({
  api_key: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .openapi({ param: { name: "api_key", in: "query" }, description: "The full API key" }),
});

const propagation =
  "Takes effect at once in the isolate that served this call and within 30 s everywhere (per-isolate config cache).";

export const setRateLimitRoute = createRoute({
  method: "post",
  path: "/admin/limit",
  tags: ["Admin"],
  summary: "Set a key's rate limits",
  description: `Creates or replaces the key's override. Omitted limits take the defaults shown; null uses the owner's tier default. ${propagation}`,
  security: adminSecurity,
  request: { body: { required: true, content: { "application/json": { schema: SetRateLimitRequestSchema } } } },
  responses: {
    200: { description: "Stored", content: { "application/json": { schema: SetRateLimitResponseSchema } } },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

export const getRateLimitRoute = createRoute({
  method: "get",
  path: "/admin/limit",
  tags: ["Admin"],
  summary: "A key's effective rate limits and whether they are overridden",
  security: adminSecurity,
  request: { query: apiKeyQuery },
  responses: {
    200: { description: "Limits", content: { "application/json": { schema: KeyRateLimitsSchema } } },
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});

export const deleteRateLimitRoute = createRoute({
  method: "delete",
  path: "/admin/limit",
  tags: ["Admin"],
  summary: "Remove a key's override (back to its tier's defaults)",
  description: propagation,
  security: adminSecurity,
  request: { query: apiKeyQuery },
  responses: {
    200: { description: "Removed", content: { "application/json": { schema: RemovedRateLimitsSchema } } },
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});

export const clearRateLimitCacheRoute = createRoute({
  method: "post",
  path: "/admin/clear-rate-limit-cache",
  tags: ["Admin"],
  summary: "Forget the cached per-key rate-limit configurations",
  description: "Clears this isolate's cache only (other isolates reload within 30 s). Redis counters are not touched.",
  security: adminSecurity,
  responses: {
    200: { description: "Cleared", content: { "application/json": { schema: ClearedRateLimitCacheSchema } } },
    ...errorResponses(401, 403, 429, 500),
  },
});
