// Recent-window aggregates of the request log for the monitoring API: per provider (or provider and
// model) outcome counts and response times, per time bucket, and each provider's recent window beside
// its own baseline. All are range reads on the created_at index, grouped in SQL.
//
// Definitions shared by every caller:
//   server error   a failed request answered 5xx (provider error, timeout, unreachable, gate full)
//   client error   a failed request answered 4xx other than 429 (the request's fault, not the provider's)
//   rate limited   answered 429
//   timeout        answered 504 or 408
//   response time  time to first chunk for streams, total latency otherwise (completed requests only):
//                  how long a client waited for the provider to start answering
import { type SQL, sql } from "drizzle-orm";
import { type AnyDatabase, type Database, queryRows } from "./client";
import { isoOrNull, num, numOrNull, type Row } from "./request-analytics-filters";

export interface WindowRange {
  from: Date;
  /** Exclusive; open when absent. */
  to?: Date;
  provider?: string;
}

export interface OutcomeStats {
  provider: string;
  /** Only when grouped by model. */
  model: string | null;
  requests: number;
  completed: number;
  failed: number;
  serverErrors: number;
  clientErrors: number;
  rateLimited: number;
  timeouts: number;
  avgLatencyMs: number | null;
  p95ResponseMs: number | null;
  avgTimeToFirstChunkMs: number | null;
  promptTokens: number;
  completionTokens: number;
  /** Exact decimal USD. */
  costUsd: string;
  lastRequestAt: string | null;
}

const responseMs = sql`coalesce(r.time_to_first_token_ms, r.latency_ms)`;

function rangeWhere(range: WindowRange): SQL {
  const conditions: SQL[] = [
    sql`r.provider is not null`,
    sql`r.created_at >= ${range.from.toISOString()}::timestamptz`,
  ];
  if (range.to) conditions.push(sql`r.created_at < ${range.to.toISOString()}::timestamptz`);
  if (range.provider !== undefined) conditions.push(sql`r.provider = ${range.provider}`);
  return sql.join(conditions, sql` and `);
}

const outcomeColumns = sql`
  count(*)::bigint as requests,
  count(*) filter (where r.status = 'completed')::bigint as completed,
  count(*) filter (where r.status = 'failed')::bigint as failed,
  count(*) filter (where r.status = 'failed' and r.http_status >= 500)::bigint as server_errors,
  count(*) filter (where r.status = 'failed' and r.http_status between 400 and 499 and r.http_status <> 429)::bigint
    as client_errors,
  count(*) filter (where r.http_status = 429)::bigint as rate_limited,
  count(*) filter (where r.http_status in (408, 504))::bigint as timeouts,
  round(avg(r.latency_ms) filter (where r.status = 'completed'))::float8 as avg_latency_ms,
  round((percentile_cont(0.95) within group (order by ${responseMs}) filter (where r.status = 'completed'))::numeric)::float8
    as p95_response_ms,
  round(avg(r.time_to_first_token_ms))::float8 as avg_ttfc_ms,
  coalesce(sum(r.prompt_tokens), 0)::bigint as prompt_tokens,
  coalesce(sum(r.completion_tokens), 0)::bigint as completion_tokens,
  coalesce(sum(r.cost_usd), 0)::text as cost_usd,
  max(r.created_at) as last_request_at`;

function outcomeOf(row: Row): OutcomeStats {
  return {
    provider: String(row.provider),
    model: row.model === undefined || row.model === null ? null : String(row.model),
    requests: num(row.requests),
    completed: num(row.completed),
    failed: num(row.failed),
    serverErrors: num(row.server_errors),
    clientErrors: num(row.client_errors),
    rateLimited: num(row.rate_limited),
    timeouts: num(row.timeouts),
    avgLatencyMs: numOrNull(row.avg_latency_ms),
    p95ResponseMs: numOrNull(row.p95_response_ms),
    avgTimeToFirstChunkMs: numOrNull(row.avg_ttfc_ms),
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    costUsd: String(row.cost_usd ?? "0"),
    lastRequestAt: isoOrNull(row.last_request_at),
  };
}

/** Outcomes per provider, or per provider and model, most requests first. */
export async function outcomesByProvider(
  db: AnyDatabase,
  range: WindowRange,
  by: "provider" | "model" = "provider",
): Promise<OutcomeStats[]> {
  const model = sql`coalesce(r.upstream_model, r.requested_model)`;
  const rows = await queryRows(
    db,
    by === "model"
      ? sql`select r.provider, ${model} as model, ${outcomeColumns} from chat_completion_requests r
          where ${rangeWhere(range)} group by r.provider, ${model} order by requests desc, r.provider, model`
      : sql`select r.provider, ${outcomeColumns} from chat_completion_requests r
          where ${rangeWhere(range)} group by r.provider order by requests desc, r.provider`,
  );
  return rows.map(outcomeOf);
}

export interface IntervalStats {
  start: string;
  requests: number;
  failed: number;
  serverErrors: number;
  tokens: number;
  /** Exact decimal USD. */
  costUsd: string;
}

/** Requests per UTC minute, hour or day since `range.from` (buckets without requests are absent). */
export async function outcomesPerInterval(
  db: Database,
  range: WindowRange,
  unit: "minute" | "hour" | "day",
): Promise<IntervalStats[]> {
  // The unit is one of three literals (typed), so it can be written into the statement: a parameter
  // would make the select and group by expressions differ.
  const bucket = sql`date_trunc(${sql.raw(`'${unit}'`)}, r.created_at at time zone 'UTC')`;
  const result = await db.execute<Row>(sql`
    select to_char(${bucket}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start,
           count(*)::bigint as requests,
           count(*) filter (where r.status = 'failed')::bigint as failed,
           count(*) filter (where r.status = 'failed' and r.http_status >= 500)::bigint as server_errors,
           coalesce(sum(r.prompt_tokens + r.completion_tokens), 0)::bigint as tokens,
           coalesce(sum(r.cost_usd), 0)::text as cost_usd
    from chat_completion_requests r where ${rangeWhere(range)}
    group by ${bucket} order by ${bucket}`);
  return result.rows.map((row) => ({
    start: String(row.start),
    requests: num(row.requests),
    failed: num(row.failed),
    serverErrors: num(row.server_errors),
    tokens: num(row.tokens),
    costUsd: String(row.cost_usd ?? "0"),
  }));
}

export interface WindowVersusBaseline {
  provider: string;
  recent: { requests: number; serverErrors: number; responseCount: number; responseMeanMs: number | null };
  baseline: {
    requests: number;
    serverErrors: number;
    responseCount: number;
    responseMeanMs: number | null;
    responseStddevMs: number | null;
  };
}

/**
 * Each provider's recent window [recentFrom, now) beside its baseline [baselineFrom, recentFrom): server
 * errors and response times (completed requests), in one pass over the baseline's range.
 */
export async function recentVersusBaseline(
  db: Database,
  baselineFrom: Date,
  recentFrom: Date,
): Promise<WindowVersusBaseline[]> {
  const recent = sql`r.created_at >= ${recentFrom.toISOString()}::timestamptz`;
  const base = sql`r.created_at < ${recentFrom.toISOString()}::timestamptz`;
  const answered = sql`r.status = 'completed' and ${responseMs} is not null`;
  const serverError = sql`r.status = 'failed' and r.http_status >= 500`;
  const result = await db.execute<Row>(sql`
    select r.provider,
           count(*) filter (where ${recent})::bigint as recent_requests,
           count(*) filter (where ${recent} and ${serverError})::bigint as recent_errors,
           count(*) filter (where ${recent} and ${answered})::bigint as recent_response_n,
           avg(${responseMs}) filter (where ${recent} and ${answered})::float8 as recent_response_mean,
           count(*) filter (where ${base})::bigint as base_requests,
           count(*) filter (where ${base} and ${serverError})::bigint as base_errors,
           count(*) filter (where ${base} and ${answered})::bigint as base_response_n,
           avg(${responseMs}) filter (where ${base} and ${answered})::float8 as base_response_mean,
           stddev_samp(${responseMs}) filter (where ${base} and ${answered})::float8 as base_response_sd
    from chat_completion_requests r
    where ${rangeWhere({ from: baselineFrom })}
    group by r.provider order by r.provider`);
  return result.rows.map((row) => ({
    provider: String(row.provider),
    recent: {
      requests: num(row.recent_requests),
      serverErrors: num(row.recent_errors),
      responseCount: num(row.recent_response_n),
      responseMeanMs: numOrNull(row.recent_response_mean),
    },
    baseline: {
      requests: num(row.base_requests),
      serverErrors: num(row.base_errors),
      responseCount: num(row.base_response_n),
      responseMeanMs: numOrNull(row.base_response_mean),
      responseStddevMs: numOrNull(row.base_response_sd),
    },
  }));
}
