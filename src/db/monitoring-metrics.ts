// The request log summed for /metrics: per (provider, model, status, http_status) counts, tokens, cost
// and latency histogram buckets, and the failed upstream attempts (the `attempts` column) per
// (provider, model, status), over a half-open range of created_at. Every figure is a sum, so the sums
// of two adjacent ranges add up to the sum of their union (the caller caches older ranges that way).
import { type SQL, sql } from "drizzle-orm";
import { type AnyDatabase, queryRows } from "./client";
import { num, type Row } from "./request-analytics-filters";

/** model_inference_duration_seconds bucket bounds (ms); latency_ms is an integer, so `<=` is exact. */
export const durationBucketsMs = [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000, 30_000, 45_000, 60_000, 120_000];
/** Time-to-first-chunk bucket bounds (ms), for streamed requests. */
export const firstChunkBucketsMs = [50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000];

export interface HistogramSums {
  /** Observations (rows with the measurement). */
  count: number;
  sumMs: number;
  /** Cumulative: observations ≤ each bound of the bucket list, in order. */
  buckets: number[];
}

export interface RequestLogSeries {
  provider: string;
  model: string;
  status: string;
  httpStatus: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Exact decimal USD as Postgres summed it. */
  costUsd: string;
  duration: HistogramSums;
  firstChunk: HistogramSums;
}

export interface AttemptFailureSeries {
  provider: string;
  model: string;
  /** The attempt's HTTP status: the upstream's own, or the gateway's (504 timeout, 502 unreachable, 503 gate full). */
  status: number;
  failures: number;
}

export interface RequestLogSums {
  series: RequestLogSeries[];
  attemptFailures: AttemptFailureSeries[];
}

/** created_at in [from, to); an open end is unbounded. */
export interface CreatedRange {
  from?: Date;
  to?: Date;
}

function rangeWhere(range: CreatedRange): SQL {
  const conditions: SQL[] = [sql`true`];
  if (range.from) conditions.push(sql`r.created_at >= ${range.from.toISOString()}::timestamptz`);
  if (range.to) conditions.push(sql`r.created_at < ${range.to.toISOString()}::timestamptz`);
  return sql.join(conditions, sql` and `);
}

function bucketColumns(column: SQL, bounds: number[], prefix: string): SQL {
  return sql.join(
    bounds.map(
      (bound, index) => sql`count(*) filter (where ${column} <= ${bound})::bigint as ${sql.raw(`${prefix}${index}`)}`,
    ),
    sql`, `,
  );
}

function histogramOf(row: Row, prefix: string, bounds: number[]): HistogramSums {
  return {
    count: num(row[`${prefix}count`]),
    sumMs: num(row[`${prefix}sum`]),
    buckets: bounds.map((_, index) => num(row[`${prefix}${index}`])),
  };
}

export async function requestLogSums(db: AnyDatabase, range: CreatedRange): Promise<RequestLogSums> {
  const where = rangeWhere(range);
  const [series, attempts] = await Promise.all([
    queryRows(
      db,
      sql`
      select coalesce(r.provider, 'unknown') as provider, coalesce(r.upstream_model, r.requested_model) as model,
             r.status, r.http_status,
             count(*)::bigint as requests,
             coalesce(sum(r.prompt_tokens), 0)::bigint as prompt_tokens,
             coalesce(sum(r.completion_tokens), 0)::bigint as completion_tokens,
             coalesce(sum(r.cached_tokens), 0)::bigint as cached_tokens,
             coalesce(sum(r.cache_write_tokens), 0)::bigint as cache_write_tokens,
             coalesce(sum(r.reasoning_tokens), 0)::bigint as reasoning_tokens,
             coalesce(sum(r.cost_usd), 0)::text as cost_usd,
             count(r.latency_ms)::bigint as d_count, coalesce(sum(r.latency_ms), 0)::bigint as d_sum,
             ${bucketColumns(sql`r.latency_ms`, durationBucketsMs, "d_")},
             count(r.time_to_first_token_ms)::bigint as f_count,
             coalesce(sum(r.time_to_first_token_ms), 0)::bigint as f_sum,
             ${bucketColumns(sql`r.time_to_first_token_ms`, firstChunkBucketsMs, "f_")}
      from chat_completion_requests r
      where ${where}
      group by 1, 2, 3, 4`,
    ),
    queryRows(
      db,
      sql`
      select coalesce(a->>'provider', 'unknown') as provider, coalesce(a->>'model', 'unknown') as model,
             case when a->>'status' ~ '^[0-9]{1,3}$' then (a->>'status')::int else 0 end as status,
             count(*)::bigint as failures
      from chat_completion_requests r
      cross join lateral jsonb_array_elements(case when jsonb_typeof(r.attempts) = 'array' then r.attempts else '[]'::jsonb end) a
      where ${where}
      group by 1, 2, 3`,
    ),
  ]);
  return {
    series: series.map((row) => ({
      provider: String(row.provider),
      model: String(row.model),
      status: String(row.status),
      httpStatus: num(row.http_status),
      requests: num(row.requests),
      promptTokens: num(row.prompt_tokens),
      completionTokens: num(row.completion_tokens),
      cachedTokens: num(row.cached_tokens),
      cacheWriteTokens: num(row.cache_write_tokens),
      reasoningTokens: num(row.reasoning_tokens),
      costUsd: String(row.cost_usd ?? "0"),
      duration: histogramOf(row, "d_", durationBucketsMs),
      firstChunk: histogramOf(row, "f_", firstChunkBucketsMs),
    })),
    attemptFailures: attempts.map((row) => ({
      provider: String(row.provider),
      model: String(row.model),
      status: num(row.status),
      failures: num(row.failures),
    })),
  };
}
