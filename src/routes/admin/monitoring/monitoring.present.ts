// From validated queries to the db layer's filters, and from its records to the seed's response fields
// (input/output tokens, processing_time_ms, money as USD numbers from exact decimals).
import type { RequestFilter } from "../../../db/request-analytics-filters";
import type { RequestRecord } from "../../../db/request-analytics-requests";
import type { RequestSummary } from "../../../db/request-analytics-summary";
import { badRequest } from "../../../lib/errors";
import { usdNumberOf } from "../../../lib/money";

export interface FilterQuery {
  model_id?: number;
  provider_id?: number;
  provider?: string;
  model_name?: string;
  user_id?: number;
  api_key_id?: number;
  status?: "completed" | "failed";
  start_date?: Date;
  end_date?: Date;
}

export function filterOf(query: FilterQuery): RequestFilter {
  if (query.start_date && query.end_date && query.start_date > query.end_date) {
    throw badRequest("start_date must not be after end_date", "invalid_date_range", "start_date");
  }
  return {
    modelId: query.model_id,
    providerId: query.provider_id,
    provider: query.provider,
    modelName: query.model_name,
    userId: query.user_id,
    apiKeyId: query.api_key_id,
    status: query.status,
    from: query.start_date,
    to: query.end_date,
  };
}

/** The filters as applied, for the response's `filters`. */
export function filtersEcho(query: FilterQuery) {
  return {
    model_id: query.model_id ?? null,
    provider_id: query.provider_id ?? null,
    provider: query.provider ?? null,
    model_name: query.model_name ?? null,
    user_id: query.user_id ?? null,
    api_key_id: query.api_key_id ?? null,
    status: query.status ?? null,
    start_date: query.start_date?.toISOString() ?? null,
    end_date: query.end_date?.toISOString() ?? null,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function presentRequest(record: RequestRecord) {
  return {
    id: record.id,
    request_id: record.requestId,
    user_id: record.userId,
    api_key_id: record.apiKeyId,
    model_id: record.modelId,
    requested_model: record.requestedModel,
    provider: record.provider,
    upstream_model: record.upstreamModel,
    endpoint: record.endpoint,
    stream: record.stream,
    status: record.status,
    http_status: record.httpStatus,
    input_tokens: record.promptTokens,
    output_tokens: record.completionTokens,
    total_tokens: record.promptTokens + record.completionTokens,
    cached_tokens: record.cachedTokens,
    cache_write_tokens: record.cacheWriteTokens,
    reasoning_tokens: record.reasoningTokens,
    usage_estimated: record.usageEstimated,
    priced: record.priced,
    cost_usd: usdNumberOf(record.costUsd),
    processing_time_ms: record.latencyMs,
    time_to_first_token_ms: record.timeToFirstTokenMs,
    finish_reason: record.finishReason,
    error_message: record.errorMessage,
    attempts: Array.isArray(record.attempts) ? record.attempts.filter(isRecord) : [],
    created_at: record.createdAt,
    models: record.model && {
      id: record.model.id,
      model_id: record.model.modelId,
      model_name: record.model.modelName,
      provider_model_id: record.model.providerModelId,
      provider_id: record.model.providerId,
      providers: record.model.provider,
    },
  };
}

export function presentSummary(summary: RequestSummary) {
  return {
    total_requests: summary.totalRequests,
    total_input_tokens: summary.totalInputTokens,
    total_output_tokens: summary.totalOutputTokens,
    total_tokens: summary.totalInputTokens + summary.totalOutputTokens,
    total_cached_tokens: summary.totalCachedTokens,
    total_reasoning_tokens: summary.totalReasoningTokens,
    avg_input_tokens: summary.avgInputTokens,
    avg_output_tokens: summary.avgOutputTokens,
    avg_processing_time_ms: summary.avgProcessingTimeMs,
    p50_processing_time_ms: summary.p50ProcessingTimeMs,
    p95_processing_time_ms: summary.p95ProcessingTimeMs,
    completed_requests: summary.completedRequests,
    failed_requests: summary.failedRequests,
    success_rate: summary.successRate,
    first_request_at: summary.firstRequestAt,
    last_request_at: summary.lastRequestAt,
    total_cost_usd: usdNumberOf(summary.totalCostUsd),
  };
}

/** The metadata every monitoring list answers with: its page, whether more follows, the filters. */
export function listMetadata(query: FilterQuery & { limit: number; offset: number }, total: number) {
  return {
    limit: query.limit,
    offset: query.offset,
    has_more: query.offset + query.limit < total,
    filters: filtersEcho(query),
    timestamp: new Date().toISOString(),
  };
}

/** The seed's limit/offset pagination fields (001 L1374). */
export function offsetPagination(limit: number, offset: number, total: number) {
  const hasMore = offset + limit < total;
  return {
    limit,
    offset,
    has_more: hasMore,
    current_page: Math.floor(offset / limit) + 1,
    total_pages: total > 0 ? Math.ceil(total / limit) : 0,
    next_offset: hasMore ? offset + limit : null,
    prev_offset: offset > 0 ? Math.max(0, offset - limit) : null,
  };
}
