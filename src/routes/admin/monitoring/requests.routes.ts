import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";
import {
  ChatRequestSchema,
  FiltersSchema,
  MAX_PAGE,
  OffsetPaginationSchema,
  pageQuery,
  RequestSummarySchema,
  requestFilterQuery,
} from "./monitoring.schemas";

const tags = ["Admin: request analytics"];

export const listChatRequestsRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/chat-requests",
  tags,
  summary: "Logged inference requests, newest first, filtered and paginated (exact total)",
  description: `At most ${MAX_PAGE} rows per page. Seed fields: input_tokens/output_tokens are prompt/completion tokens, processing_time_ms the request's latency; models is the catalog model (null when the model is not in the catalog).`,
  security: adminSecurity,
  request: { query: z.object({ ...requestFilterQuery, ...pageQuery }) },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          data: z.array(ChatRequestSchema),
          metadata: z.object({
            total_count: z.number().int().openapi({ description: "Every match, not just this page" }),
            limit: z.number().int(),
            offset: z.number().int(),
            returned_count: z.number().int(),
            has_more: z.boolean(),
            filters: FiltersSchema,
            timestamp: z.string(),
          }),
        })
        .openapi("ChatRequestList"),
      "Requests",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const chatRequestSummaryRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/chat-requests/summary",
  tags,
  summary: "Totals and averages of the matching requests (one SQL aggregate)",
  description:
    "success_rate is a percent. Computed live on every call (`cached` is always false: the seed's 60-second cache is not kept).",
  security: adminSecurity,
  request: { query: z.object(requestFilterQuery) },
  responses: {
    200: jsonContent(
      z
        .object({
          summary: RequestSummarySchema,
          filters: FiltersSchema,
          timestamp: z.string(),
          cached: z.boolean(),
        })
        .openapi("ChatRequestSummaryResponse"),
      "Summary",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const chatRequestPlotRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/chat-requests/plot-data",
  tags,
  summary: "The 10 newest matching requests and chart arrays (tokens, latency, time) of a window of them",
  description: `The arrays cover the newest \`limit\` (1-${MAX_PAGE}, default ${MAX_PAGE}) matching requests after skipping \`offset\` newer ones, oldest first. Every filter applies to both parts (the seed applied provider_id to the recent list only).`,
  security: adminSecurity,
  request: {
    query: z.object({
      ...requestFilterQuery,
      limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(MAX_PAGE),
      offset: pageQuery.offset,
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          recent_requests: z.array(ChatRequestSchema),
          plot_data: z.object({
            tokens: z.array(z.number().int()),
            latency: z.array(z.number().int().nullable()),
            timestamps: z.array(z.string()),
          }),
          metadata: z.object({
            recent_count: z.number().int(),
            total_count: z.number().int(),
            plot_count: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
            has_more: z.boolean(),
            filters: FiltersSchema,
            timestamp: z.string(),
            compression: z.literal("arrays"),
            format_version: z.literal("1.0"),
          }),
        })
        .openapi("ChatRequestPlotData"),
      "Recent requests and chart arrays",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const chatRequestsByApiKeyRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/chat-requests/by-api-key",
  tags,
  summary: "The requests made with one API key, given in full (looked up by its hash), newest first",
  security: adminSecurity,
  request: {
    query: z.object({
      api_key: z.string().trim().min(1).max(200).openapi({ description: "The full key, e.g. gw_live_…" }),
      ...pageQuery,
      include_summary: z
        .enum(["true", "false"])
        .default("false")
        .openapi({ description: "Deprecated (seed): adds the key's summary; prefer /summary?api_key_id=" }),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          requests: z.array(ChatRequestSchema),
          total_count: z.number().int(),
          api_key_info: z.object({
            id: z.number().int(),
            key_name: z.string().nullable(),
            key_prefix: z.string(),
            user_id: z.number().int(),
            environment_tag: z.string(),
            is_active: z.boolean(),
            created_at: z.string(),
          }),
          limit: z.number().int(),
          offset: z.number().int(),
          pagination: OffsetPaginationSchema,
          timestamp: z.string(),
          summary: RequestSummarySchema.optional(),
        })
        .openapi("ChatRequestsByApiKey"),
      "The key's requests",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});
