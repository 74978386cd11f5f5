import { createRoute, z } from "@hono/zod-openapi";
import { modelSortFields } from "../../../db/request-analytics-models";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";
import { FiltersSchema, pageQuery, requestFilterQuery } from "./monitoring.schemas";

const tags = ["Admin: request analytics"];

/** Per-model endpoints search the model's name or `<provider>/<model>` id rather than single rows. */
const perModelQuery = {
  ...requestFilterQuery,
  model_name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "Part of the model's name or <provider>/<model> id (case-insensitive)" }),
};

const listMetadata = {
  limit: z.number().int(),
  offset: z.number().int(),
  has_more: z.boolean(),
  filters: FiltersSchema,
  timestamp: z.string(),
};

export const providersWithRequestsRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/chat-requests/providers",
  tags,
  summary: "Providers that served matching requests: models used and requests, most requests first",
  description: "provider_id is null for a provider the catalog does not list (its slug is still given).",
  security: adminSecurity,
  request: { query: z.object({ ...requestFilterQuery, ...pageQuery }) },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          data: z.array(
            z.object({
              provider_id: z.number().int().nullable(),
              name: z.string(),
              slug: z.string(),
              models_with_requests: z.number().int(),
              total_requests: z.number().int(),
            }),
          ),
          metadata: z.object({ total_providers: z.number().int(), ...listMetadata }),
        })
        .openapi("ProvidersWithRequests"),
      "Providers",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const requestCountsRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/chat-requests/counts",
  tags,
  summary: "Requests per model, most first (grouped in SQL)",
  description:
    "A model is the catalog model when the request resolved to one, else the provider and model it was sent to (model_id null).",
  security: adminSecurity,
  request: { query: z.object({ ...perModelQuery, ...pageQuery }) },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          data: z.array(
            z.object({
              model_id: z.number().int().nullable(),
              model_name: z.string(),
              model_identifier: z.string(),
              provider_name: z.string().nullable(),
              provider_slug: z.string().nullable(),
              request_count: z.number().int(),
            }),
          ),
          metadata: z.object({
            total_models: z.number().int(),
            total_requests: z.number().int().openapi({ description: "Of every matching model, not just this page" }),
            ...listMetadata,
          }),
        })
        .openapi("RequestCountsByModel"),
      "Counts",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const modelsWithRequestsRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/chat-requests/models",
  tags,
  summary: "Models with matching requests and their token, cost and latency statistics, most requests first",
  security: adminSecurity,
  request: { query: z.object({ ...perModelQuery, ...pageQuery }) },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          data: z.array(
            z.object({
              model_id: z.number().int().nullable(),
              model_identifier: z.string(),
              model_name: z.string(),
              provider_model_id: z.string(),
              provider: z
                .object({ id: z.number().int().nullable(), name: z.string().nullable(), slug: z.string() })
                .nullable(),
              stats: z.object({
                total_requests: z.number().int(),
                successful_requests: z.number().int(),
                failed_requests: z.number().int(),
                total_input_tokens: z.number().int(),
                total_output_tokens: z.number().int(),
                total_tokens: z.number().int(),
                avg_processing_time_ms: z.number(),
                total_cost_usd: z.number(),
              }),
            }),
          ),
          metadata: z.object({ total_models: z.number().int(), method: z.literal("sql"), ...listMetadata }),
        })
        .openapi("ModelsWithRequests"),
      "Models",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const modelUsageAnalyticsRoute = createRoute({
  method: "get",
  path: "/admin/model-usage-analytics",
  tags,
  summary: "Usage and cost per model: page-based, searchable by name, sortable",
  description:
    "Unknown sort_by or sort_order values are a 400 (the seed silently used its defaults). Costs and tokens count every request; successful_requests the completed ones.",
  security: adminSecurity,
  request: {
    query: z.object({
      ...perModelQuery,
      page: z.coerce.number().int().min(1).default(1),
      limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "Models per page, 1-500" }),
      sort_by: z
        .enum(modelSortFields, { message: `sort_by must be one of: ${modelSortFields.join(", ")}` })
        .default("total_cost_usd"),
      sort_order: z.enum(["asc", "desc"], { message: "sort_order must be 'asc' or 'desc'" }).default("desc"),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          data: z.array(
            z.object({
              model_id: z.number().int().nullable(),
              model_identifier: z.string(),
              model_name: z.string(),
              provider_model_id: z.string(),
              provider_id: z.number().int().nullable(),
              provider_name: z.string().nullable(),
              provider_slug: z.string().nullable(),
              total_requests: z.number().int(),
              successful_requests: z.number().int(),
              failed_requests: z.number().int(),
              total_cost_usd: z.number(),
              avg_cost_per_request_usd: z.number(),
              total_input_tokens: z.number().int(),
              total_output_tokens: z.number().int(),
              total_tokens: z.number().int(),
              avg_processing_time_ms: z.number(),
              first_request_at: z.string().nullable(),
              last_request_at: z.string().nullable(),
              pricing_prompt: z.string().nullable().openapi({ description: "USD per prompt token (catalog)" }),
              pricing_completion: z.string().nullable().openapi({ description: "USD per completion token (catalog)" }),
            }),
          ),
          pagination: z.object({
            page: z.number().int(),
            limit: z.number().int(),
            total_items: z.number().int(),
            total_pages: z.number().int(),
            has_next: z.boolean(),
            has_prev: z.boolean(),
            offset: z.number().int(),
          }),
          filters: z.object({ ...FiltersSchema.shape, sort_by: z.string(), sort_order: z.string() }),
          metadata: z.object({ timestamp: z.string(), items_in_page: z.number().int() }),
        })
        .openapi("ModelUsageAnalytics"),
      "Per-model usage",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});
