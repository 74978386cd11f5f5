import { z } from "@hono/zod-openapi";

const price = z.string().nullable().openapi({ description: "USD per token (exact decimal); null when unknown" });

export const CatalogModelSchema = z
  .object({
    id: z.string().openapi({
      description: "The id to send as `model`: gateway/upstream-id",
      example: "openrouter/qwen/qwen3-max-thinking",
    }),
    object: z.literal("model"),
    created: z.number().int().openapi({ description: "When the gateway first saw the model (Unix seconds)" }),
    owned_by: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    provider_model_id: z.string().openapi({ description: "The id the gateway's upstream API takes" }),
    gateway: z.string().openapi({ description: "The provider that serves this listing" }),
    gateways: z.array(z.string()).openapi({ description: "Every provider that serves this model" }),
    provider: z.string().nullable().openapi({ description: "Who made the model (e.g. anthropic)" }),
    context_length: z.number().int().nullable(),
    max_completion_tokens: z.number().int().nullable(),
    architecture: z.object({
      modality: z.string().nullable(),
      input_modalities: z.array(z.string()),
      output_modalities: z.array(z.string()),
    }),
    pricing: z.object({
      prompt: price,
      completion: price,
      input_cache_read: price,
      input_cache_write: price,
      request: price.openapi({ description: "USD per request" }),
      image: price.openapi({ description: "USD per input image" }),
    }),
    supported_parameters: z.array(z.string()),
    supports_streaming: z.boolean(),
    supports_tools: z.boolean(),
    supports_vision: z.boolean(),
    hugging_face_id: z.string().nullable(),
  })
  .openapi("CatalogModel");

export const ModelListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(CatalogModelSchema),
    total: z.number().int().openapi({ description: "Models matching the filters, before pagination" }),
    returned: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int().nullable(),
    gateway: z.string(),
  })
  .openapi("ModelList");

const count = (description: string, fallback: number, max: number) =>
  z.coerce.number().int().min(0).max(max).default(fallback).openapi({ description });

export const ListQuerySchema = z.object({
  gateway: z.string().optional().openapi({
    description: "A provider slug (`hug` is an alias of `huggingface`), or `all` (default: unique models)",
  }),
  provider: z.string().optional().openapi({ description: "The model's developer, e.g. anthropic" }),
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "Page size; omitted returns every match (e.g. limit=50000 returns all)" }),
  offset: count("Skip this many matches", 0, Number.MAX_SAFE_INTEGER),
});

export const SearchQuerySchema = ListQuerySchema.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "Words that must all appear in the id, name or description" }),
  modality: z.string().max(40).optional().openapi({ description: "An input or output modality, e.g. image" }),
  capability: z.enum(["tools", "vision", "streaming"]).optional(),
  max_price: z
    .string()
    .regex(/^\d{1,9}(\.\d{1,9})?$/, "must be a decimal USD amount")
    .optional()
    .openapi({ description: "Highest prompt price in USD per million tokens" }),
  min_context: z.coerce.number().int().min(1).optional().openapi({ description: "Smallest context length" }),
});

export const WindowQuerySchema = z.object({
  hours: z.coerce.number().int().min(1).max(720).default(24).openapi({ description: "Look-back window in hours" }),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

export const LatencyQuerySchema = WindowQuerySchema.extend({
  min_requests: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(3)
    .openapi({ description: "Only models with at least this many completed requests in the window" }),
});

const rankedModel = {
  rank: z.number().int(),
  id: z.string(),
  gateway: z.string(),
  provider_model_id: z.string(),
  name: z.string(),
  provider: z.string().nullable(),
  requests: z.number().int(),
};

export const TrendingSchema = z
  .object({
    data: z.array(z.object({ ...rankedModel, unique_users: z.number().int(), total_tokens: z.number().int() })),
    window_hours: z.number().int(),
    timestamp: z.string(),
  })
  .openapi("TrendingModels");

export const LowLatencySchema = z
  .object({
    data: z.array(
      z.object({
        ...rankedModel,
        median_time_to_first_token_ms: z.number().int().nullable(),
        median_latency_ms: z.number().int(),
        p90_latency_ms: z.number().int(),
      }),
    ),
    window_hours: z.number().int(),
    min_requests: z.number().int(),
    timestamp: z.string(),
  })
  .openapi("LowLatencyModels");

export const ProviderListSchema = z
  .object({
    data: z.array(
      z.object({
        slug: z.string(),
        name: z.string(),
        configured: z.boolean().openapi({ description: "An API key is set, so the gateway can route to it" }),
        is_active: z.boolean(),
        health: z.string(),
        models: z.number().int().openapi({ description: "Active models in the catalog" }),
        last_synced_at: z.string().nullable(),
      }),
    ),
    total: z.number().int(),
    timestamp: z.string(),
  })
  .openapi("ProviderList");

const gatewayCount = {
  total: z.number().int().openapi({ description: "Active listings" }),
  unique: z.number().int().openapi({ description: "Distinct model ids" }),
  duplicates: z.number().int(),
};

export const GatewaySummarySchema = z
  .object({
    gateways: z.array(
      z.object({
        gateway: z.string(),
        name: z.string(),
        ...gatewayCount,
        inactive: z.number().int().openapi({ description: "Models the provider no longer lists" }),
        last_synced_at: z.string().nullable(),
        status: z.enum(["ok", "empty"]),
      }),
    ),
    all: z.object(gatewayCount).openapi({ description: "Across gateways: duplicates are models served by several" }),
    timestamp: z.string(),
  })
  .openapi("GatewaySummary");
