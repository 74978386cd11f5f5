// Query and response schemas shared by the admin request-analytics routes.
import { z } from "@hono/zod-openapi";

/** Lists return at most this many rows per call (the seed allowed 100,000; a page that big is a scan). */
export const MAX_PAGE = 1000;

const isoPattern = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/i;

/** An ISO 8601 date (midnight UTC) or date-time (UTC unless it names an offset). */
export const isoInstant = z
  .string()
  .trim()
  .regex(isoPattern, "must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z")
  .transform((value, ctx) => {
    const zoned = value.includes("T") && !/(?:Z|[+-]\d{2}:\d{2})$/i.test(value) ? `${value}Z` : value;
    const date = new Date(zoned);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "is not a valid date" });
      return z.NEVER;
    }
    return date;
  });

const id = z.coerce.number().int().positive();

/** The filters every request-analytics endpoint takes (seed: model_id, provider_id, model_name, dates). */
export const requestFilterQuery = {
  model_id: id.optional().openapi({ description: "A catalog model (models.id)" }),
  provider_id: id.optional().openapi({ description: "A catalog provider (providers.id)" }),
  provider: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "A provider slug as the request log records it (also providers not in the catalog)" }),
  model_name: z.string().trim().min(1).max(200).optional().openapi({
    description: "Part of the catalog model name, the requested model or the upstream model (case-insensitive)",
  }),
  user_id: id.optional(),
  api_key_id: id.optional(),
  status: z.enum(["completed", "failed"], { message: "status must be 'completed' or 'failed'" }).optional(),
  start_date: isoInstant.optional().openapi({ description: "ISO 8601; requests created at or after it" }),
  end_date: isoInstant.optional().openapi({ description: "ISO 8601; requests created at or before it" }),
};

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(100)
    .openapi({ description: `Rows per page, 1-${MAX_PAGE}` }),
  offset: z.coerce.number().int().min(0).default(0),
};

export const FiltersSchema = z
  .object({
    model_id: z.number().int().nullable(),
    provider_id: z.number().int().nullable(),
    provider: z.string().nullable(),
    model_name: z.string().nullable(),
    user_id: z.number().int().nullable(),
    api_key_id: z.number().int().nullable(),
    status: z.string().nullable(),
    start_date: z.string().nullable(),
    end_date: z.string().nullable(),
  })
  .openapi("RequestFilters");

const ProviderRefSchema = z.object({ id: z.number().int(), name: z.string(), slug: z.string() });

export const ChatRequestSchema = z
  .object({
    id: z.number().int(),
    request_id: z.string(),
    user_id: z.number().int().nullable(),
    api_key_id: z.number().int().nullable(),
    model_id: z.number().int().nullable().openapi({ description: "The catalog model, when the model is in it" }),
    requested_model: z.string(),
    provider: z.string().nullable(),
    upstream_model: z.string().nullable(),
    endpoint: z.string(),
    stream: z.boolean(),
    status: z.string(),
    http_status: z.number().int(),
    input_tokens: z.number().int().openapi({ description: "Prompt tokens" }),
    output_tokens: z.number().int().openapi({ description: "Completion tokens" }),
    total_tokens: z.number().int(),
    cached_tokens: z.number().int(),
    cache_write_tokens: z.number().int(),
    reasoning_tokens: z.number().int(),
    usage_estimated: z.boolean(),
    priced: z.boolean(),
    cost_usd: z.number(),
    processing_time_ms: z.number().int().nullable().openapi({ description: "Total latency of the request" }),
    time_to_first_token_ms: z.number().int().nullable(),
    finish_reason: z.string().nullable(),
    error_message: z.string().nullable(),
    attempts: z.array(z.record(z.string(), z.unknown())),
    created_at: z.string(),
    models: z
      .object({
        id: z.number().int(),
        model_id: z.string().openapi({ description: "The gateway id, <provider>/<model>" }),
        model_name: z.string(),
        provider_model_id: z.string(),
        provider_id: z.number().int(),
        providers: ProviderRefSchema,
      })
      .nullable(),
  })
  .openapi("ChatRequestRecord");

export const RequestSummarySchema = z
  .object({
    total_requests: z.number().int(),
    total_input_tokens: z.number().int(),
    total_output_tokens: z.number().int(),
    total_tokens: z.number().int(),
    total_cached_tokens: z.number().int(),
    total_reasoning_tokens: z.number().int(),
    avg_input_tokens: z.number(),
    avg_output_tokens: z.number(),
    avg_processing_time_ms: z.number(),
    p50_processing_time_ms: z.number(),
    p95_processing_time_ms: z.number(),
    completed_requests: z.number().int(),
    failed_requests: z.number().int(),
    success_rate: z.number().openapi({ description: "Percent of requests that completed" }),
    first_request_at: z.string().nullable(),
    last_request_at: z.string().nullable(),
    total_cost_usd: z.number(),
  })
  .openapi("ChatRequestSummary");

export const OffsetPaginationSchema = z.object({
  limit: z.number().int(),
  offset: z.number().int(),
  has_more: z.boolean(),
  current_page: z.number().int(),
  total_pages: z.number().int(),
  next_offset: z.number().int().nullable(),
  prev_offset: z.number().int().nullable(),
});
