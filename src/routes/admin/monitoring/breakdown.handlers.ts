import type { RouteHandler } from "@hono/zod-openapi";
import { trimDecimal } from "../../../db/catalog-reads";
import { type ModelSortField, modelUsage } from "../../../db/request-analytics-models";
import { providersWithRequests as loadProviders } from "../../../db/request-analytics-summary";
import type { AppEnv } from "../../../env";
import { usdNumberOf } from "../../../lib/money";
import type {
  modelsWithRequestsRoute,
  modelUsageAnalyticsRoute,
  providersWithRequestsRoute,
  requestCountsRoute,
} from "./breakdown.routes";
import { type FilterQuery, filterOf, filtersEcho, listMetadata } from "./monitoring.present";

/** Per-model endpoints: model_name searches the model (its name or id), not single rows. */
function perModel(query: FilterQuery) {
  return { filter: { ...filterOf(query), modelName: undefined }, search: query.model_name };
}

export const providersWithRequests: RouteHandler<typeof providersWithRequestsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const { rows, total } = await loadProviders(c.var.db(), filterOf(query), {
    limit: query.limit,
    offset: query.offset,
  });
  return c.json(
    {
      success: true as const,
      data: rows.map((row) => ({
        provider_id: row.providerId,
        name: row.name,
        slug: row.slug,
        models_with_requests: row.modelsWithRequests,
        total_requests: row.totalRequests,
      })),
      metadata: {
        total_providers: total,
        ...listMetadata(query, total),
      },
    },
    200,
  );
};

const mostRequestsFirst: { by: ModelSortField; order: "desc" } = { by: "total_requests", order: "desc" };

export const requestCounts: RouteHandler<typeof requestCountsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const page = { limit: query.limit, offset: query.offset };
  const result = await modelUsage(c.var.db(), { ...perModel(query), sort: mostRequestsFirst, page });
  return c.json(
    {
      success: true as const,
      data: result.rows.map((row) => ({
        model_id: row.modelId,
        model_name: row.modelName,
        model_identifier: row.modelIdentifier,
        provider_name: row.providerName,
        provider_slug: row.providerSlug,
        request_count: row.totalRequests,
      })),
      metadata: {
        total_models: result.totalModels,
        total_requests: result.totalRequests,
        ...listMetadata(query, result.totalModels),
      },
    },
    200,
  );
};

export const modelsWithRequests: RouteHandler<typeof modelsWithRequestsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const page = { limit: query.limit, offset: query.offset };
  const result = await modelUsage(c.var.db(), { ...perModel(query), sort: mostRequestsFirst, page });
  return c.json(
    {
      success: true as const,
      data: result.rows.map((row) => ({
        model_id: row.modelId,
        model_identifier: row.modelIdentifier,
        model_name: row.modelName,
        provider_model_id: row.providerModelId,
        provider:
          row.providerSlug === null ? null : { id: row.providerId, name: row.providerName, slug: row.providerSlug },
        stats: {
          total_requests: row.totalRequests,
          successful_requests: row.successfulRequests,
          failed_requests: row.failedRequests,
          total_input_tokens: row.totalInputTokens,
          total_output_tokens: row.totalOutputTokens,
          total_tokens: row.totalTokens,
          avg_processing_time_ms: row.avgProcessingTimeMs,
          total_cost_usd: usdNumberOf(row.totalCostUsd),
        },
      })),
      metadata: {
        total_models: result.totalModels,
        method: "sql" as const,
        ...listMetadata(query, result.totalModels),
      },
    },
    200,
  );
};

export const modelUsageAnalytics: RouteHandler<typeof modelUsageAnalyticsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const offset = (query.page - 1) * query.limit;
  const result = await modelUsage(c.var.db(), {
    ...perModel(query),
    sort: { by: query.sort_by, order: query.sort_order },
    page: { limit: query.limit, offset },
  });
  const totalPages = result.totalModels > 0 ? Math.ceil(result.totalModels / query.limit) : 0;
  return c.json(
    {
      success: true as const,
      data: result.rows.map((row) => ({
        model_id: row.modelId,
        model_identifier: row.modelIdentifier,
        model_name: row.modelName,
        provider_model_id: row.providerModelId,
        provider_id: row.providerId,
        provider_name: row.providerName,
        provider_slug: row.providerSlug,
        total_requests: row.totalRequests,
        successful_requests: row.successfulRequests,
        failed_requests: row.failedRequests,
        total_cost_usd: usdNumberOf(row.totalCostUsd),
        avg_cost_per_request_usd: usdNumberOf(row.avgCostPerRequestUsd),
        total_input_tokens: row.totalInputTokens,
        total_output_tokens: row.totalOutputTokens,
        total_tokens: row.totalTokens,
        avg_processing_time_ms: row.avgProcessingTimeMs,
        first_request_at: row.firstRequestAt,
        last_request_at: row.lastRequestAt,
        pricing_prompt: trimDecimal(row.pricingPrompt),
        pricing_completion: trimDecimal(row.pricingCompletion),
      })),
      pagination: {
        page: query.page,
        limit: query.limit,
        total_items: result.totalModels,
        total_pages: totalPages,
        has_next: query.page < totalPages,
        has_prev: query.page > 1,
        offset,
      },
      filters: { ...filtersEcho(query), sort_by: query.sort_by, sort_order: query.sort_order },
      metadata: { timestamp: new Date().toISOString(), items_in_page: result.rows.length },
    },
    200,
  );
};
