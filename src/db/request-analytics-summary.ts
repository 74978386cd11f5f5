// Aggregates of the request log for the admin dashboards: the summary of a filtered set of requests and
// the providers that served requests, each one SQL statement (GROUP BY, percentile_cont), never rows in memory.
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { isoOrNull, num, numOrNull, type RequestFilter, type Row, requestWhere } from "./request-analytics-filters";

export interface RequestSummary {
  totalRequests: number;
  completedRequests: number;
  failedRequests: number;
  totalInputTokens: number;
  totalOutputTokens: number;
  totalCachedTokens: number;
  totalReasoningTokens: number;
  avgInputTokens: number;
  avgOutputTokens: number;
  avgProcessingTimeMs: number;
  p50ProcessingTimeMs: number;
  p95ProcessingTimeMs: number;
  /** Percent of requests that completed, 2 decimals. */
  successRate: number;
  firstRequestAt: string | null;
  lastRequestAt: string | null;
  /** Exact decimal USD. */
  totalCostUsd: string;
}

export async function summarizeRequests(db: Database, filter: RequestFilter): Promise<RequestSummary> {
  const result = await db.execute<Row>(sql`
    select count(*)::bigint as total,
           count(*) filter (where r.status = 'completed')::bigint as completed,
           count(*) filter (where r.status = 'failed')::bigint as failed,
           coalesce(sum(r.prompt_tokens), 0)::bigint as input_tokens,
           coalesce(sum(r.completion_tokens), 0)::bigint as output_tokens,
           coalesce(sum(r.cached_tokens), 0)::bigint as cached_tokens,
           coalesce(sum(r.reasoning_tokens), 0)::bigint as reasoning_tokens,
           coalesce(round(avg(r.prompt_tokens), 2), 0)::float8 as avg_input,
           coalesce(round(avg(r.completion_tokens), 2), 0)::float8 as avg_output,
           coalesce(round(avg(r.latency_ms), 2), 0)::float8 as avg_latency,
           coalesce(percentile_cont(0.5) within group (order by r.latency_ms), 0)::float8 as p50_latency,
           coalesce(percentile_cont(0.95) within group (order by r.latency_ms), 0)::float8 as p95_latency,
           coalesce(round(100.0 * count(*) filter (where r.status = 'completed') / nullif(count(*), 0), 2), 0)::float8
             as success_rate,
           min(r.created_at) as first_at, max(r.created_at) as last_at,
           coalesce(sum(r.cost_usd), 0)::text as cost
    from chat_completion_requests r where ${requestWhere(filter)}`);
  const row = result.rows[0] ?? {};
  return {
    totalRequests: num(row.total),
    completedRequests: num(row.completed),
    failedRequests: num(row.failed),
    totalInputTokens: num(row.input_tokens),
    totalOutputTokens: num(row.output_tokens),
    totalCachedTokens: num(row.cached_tokens),
    totalReasoningTokens: num(row.reasoning_tokens),
    avgInputTokens: num(row.avg_input),
    avgOutputTokens: num(row.avg_output),
    avgProcessingTimeMs: num(row.avg_latency),
    p50ProcessingTimeMs: Math.round(num(row.p50_latency) * 100) / 100,
    p95ProcessingTimeMs: Math.round(num(row.p95_latency) * 100) / 100,
    successRate: num(row.success_rate),
    firstRequestAt: isoOrNull(row.first_at),
    lastRequestAt: isoOrNull(row.last_at),
    totalCostUsd: String(row.cost ?? "0"),
  };
}

export interface ProviderRequestStats {
  /** The catalog's providers.id; null for a provider the catalog does not list. */
  providerId: number | null;
  name: string;
  slug: string;
  modelsWithRequests: number;
  totalRequests: number;
}

/** Providers that served at least one matching request, most requests first; one page and the exact total. */
export async function providersWithRequests(
  db: Database,
  filter: RequestFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ProviderRequestStats[]; total: number }> {
  const where = sql`r.provider is not null and ${requestWhere(filter)}`;
  const [rows, count] = await Promise.all([
    db.execute<Row>(sql`
      select r.provider as slug, p.id as provider_id, coalesce(p.name, r.provider) as name,
             count(distinct coalesce(r.upstream_model, r.requested_model))::int as models_with_requests,
             count(*)::bigint as total_requests
      from chat_completion_requests r left join providers p on p.slug = r.provider
      where ${where}
      group by r.provider, p.id, p.name
      order by total_requests desc, r.provider
      limit ${page.limit} offset ${page.offset}`),
    db.execute<Row>(
      sql`select count(distinct r.provider)::int as total from chat_completion_requests r where ${where}`,
    ),
  ]);
  return {
    rows: rows.rows.map((row) => ({
      providerId: numOrNull(row.provider_id),
      name: String(row.name),
      slug: String(row.slug),
      modelsWithRequests: num(row.models_with_requests),
      totalRequests: num(row.total_requests),
    })),
    total: num(count.rows[0]?.total),
  };
}
