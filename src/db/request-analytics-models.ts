// Per-model usage of the request log (the seed's model_usage_analytics view and get_models_with_requests
// RPCs as one query): counts, tokens, cost and latency per model, searched, sorted and paginated in SQL.

import { type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";
import { containsPattern } from "./like-pattern";
import {
  isoOrNull,
  modelGroupColumns,
  num,
  numOrNull,
  type RequestFilter,
  type Row,
  requestWhere,
  textOrNull,
} from "./request-analytics-filters";

export const modelSortFields = [
  "model_name",
  "provider_name",
  "total_requests",
  "successful_requests",
  "failed_requests",
  "total_cost_usd",
  "avg_cost_per_request_usd",
  "total_input_tokens",
  "total_output_tokens",
  "total_tokens",
  "avg_processing_time_ms",
  "first_request_at",
  "last_request_at",
] as const;
export type ModelSortField = (typeof modelSortFields)[number];

export interface ModelUsage {
  /** The catalog model (models.id); null when the model is not in the catalog. */
  modelId: number | null;
  /** `<provider>/<model>` as the gateway routes it. */
  modelIdentifier: string;
  modelName: string;
  providerModelId: string;
  providerId: number | null;
  providerName: string | null;
  providerSlug: string | null;
  totalRequests: number;
  successfulRequests: number;
  failedRequests: number;
  totalInputTokens: number;
  totalOutputTokens: number;
  totalTokens: number;
  /** Exact decimal USD. */
  totalCostUsd: string;
  avgCostPerRequestUsd: string;
  avgProcessingTimeMs: number;
  firstRequestAt: string | null;
  lastRequestAt: string | null;
  /** The catalog's USD per-token prices, as decimal strings. */
  pricingPrompt: string | null;
  pricingCompletion: string | null;
}

export interface ModelUsageQuery {
  filter: RequestFilter;
  /** Part of the model's name or identifier (case-insensitive). */
  search?: string;
  sort: { by: ModelSortField; order: "asc" | "desc" };
  page: { limit: number; offset: number };
}

/** Rows grouped per model, then named from the catalog (provider joined by the slug the rows keep). */
function perModel(filter: RequestFilter): SQL {
  return sql`
    with per_model as (
      select ${modelGroupColumns} as model,
             count(*)::bigint as total_requests,
             count(*) filter (where r.status = 'completed')::bigint as successful_requests,
             count(*) filter (where r.status = 'failed')::bigint as failed_requests,
             sum(r.prompt_tokens)::bigint as total_input_tokens,
             sum(r.completion_tokens)::bigint as total_output_tokens,
             sum(r.prompt_tokens + r.completion_tokens)::bigint as total_tokens,
             sum(r.cost_usd) as total_cost_usd,
             round(sum(r.cost_usd) / count(*), 9) as avg_cost_per_request_usd,
             coalesce(round(avg(r.latency_ms), 2), 0)::float8 as avg_processing_time_ms,
             min(r.created_at) as first_request_at, max(r.created_at) as last_request_at
      from chat_completion_requests r where ${requestWhere(filter)}
      group by ${modelGroupColumns}
    ),
    named as (
      select pm.*, coalesce(m.model_name, pm.model) as model_name,
             case when pm.provider is null then pm.model else pm.provider || '/' || pm.model end as model_identifier,
             coalesce(m.provider_model_id, pm.model) as provider_model_id,
             p.id as provider_id, coalesce(p.name, pm.provider) as provider_name, pm.provider as provider_slug,
             m.price_prompt::text as pricing_prompt, m.price_completion::text as pricing_completion
      from per_model pm left join models m on m.id = pm.model_id left join providers p on p.slug = pm.provider
    )`;
}

function searchOf(search: string | undefined): SQL {
  if (search === undefined) return sql`true`;
  const like = containsPattern(search);
  return sql`(model_name ilike ${like} or model_identifier ilike ${like})`;
}

function usageOf(row: Row): ModelUsage {
  return {
    modelId: numOrNull(row.model_id),
    modelIdentifier: String(row.model_identifier),
    modelName: String(row.model_name),
    providerModelId: String(row.provider_model_id),
    providerId: numOrNull(row.provider_id),
    providerName: textOrNull(row.provider_name),
    providerSlug: textOrNull(row.provider_slug),
    totalRequests: num(row.total_requests),
    successfulRequests: num(row.successful_requests),
    failedRequests: num(row.failed_requests),
    totalInputTokens: num(row.total_input_tokens),
    totalOutputTokens: num(row.total_output_tokens),
    totalTokens: num(row.total_tokens),
    totalCostUsd: String(row.total_cost_usd ?? "0"),
    avgCostPerRequestUsd: String(row.avg_cost_per_request_usd ?? "0"),
    avgProcessingTimeMs: num(row.avg_processing_time_ms),
    firstRequestAt: isoOrNull(row.first_request_at),
    lastRequestAt: isoOrNull(row.last_request_at),
    pricingPrompt: textOrNull(row.pricing_prompt),
    pricingCompletion: textOrNull(row.pricing_completion),
  };
}

/**
 * One page of models with requests matching the filter, the exact number of such models and the
 * requests they had in all (not just this page's).
 */
export async function modelUsage(
  db: Database,
  query: ModelUsageQuery,
): Promise<{ rows: ModelUsage[]; totalModels: number; totalRequests: number }> {
  const base = perModel(query.filter);
  const search = searchOf(query.search);
  // The sort field is one of a fixed list (validated), so naming the column is safe.
  const direction = query.sort.order === "asc" ? sql`asc` : sql`desc`;
  const [rows, totals] = await Promise.all([
    db.execute<Row>(sql`${base}
      select model_id, model_identifier, model_name, provider_model_id, provider_id, provider_name, provider_slug,
             total_requests, successful_requests, failed_requests, total_input_tokens, total_output_tokens, total_tokens,
             total_cost_usd::text as total_cost_usd, avg_cost_per_request_usd::text as avg_cost_per_request_usd,
             avg_processing_time_ms, first_request_at, last_request_at, pricing_prompt, pricing_completion
      from named where ${search}
      order by ${sql.identifier(query.sort.by)} ${direction} nulls last, model_identifier, model_id
      limit ${query.page.limit} offset ${query.page.offset}`),
    db.execute<Row>(sql`${base}
      select count(*)::int as models, coalesce(sum(total_requests), 0)::bigint as requests from named where ${search}`),
  ]);
  return {
    rows: rows.rows.map(usageOf),
    totalModels: num(totals.rows[0]?.models),
    totalRequests: num(totals.rows[0]?.requests),
  };
}
