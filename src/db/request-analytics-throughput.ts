// Token throughput of completed requests (seed: tokens-per-second metrics): Σ(input + output tokens) /
// Σ(latency) per catalog model, and which models the public time-windowed metric may be asked about.
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { num, type Row } from "./request-analytics-filters";

/** The seed's windows, as Postgres intervals. */
export const throughputWindows = {
  hour: "1 hour",
  week: "7 days",
  month: "1 month",
  "1year": "1 year",
  "2year": "2 years",
} as const;
export type ThroughputWindow = keyof typeof throughputWindows;

/**
 * Models the windowed metric serves (seed): the three catalog models with the most completed requests,
 * plus the most-requested model of every provider that has completed requests (ties: lowest id).
 */
export async function throughputModelIds(db: Database): Promise<number[]> {
  const result = await db.execute<Row>(sql`
    with ranked as (
      select r.model_id,
             row_number() over (order by count(*) desc, r.model_id) as overall_rank,
             row_number() over (partition by m.provider_id order by count(*) desc, r.model_id) as provider_rank
      from chat_completion_requests r join models m on m.id = r.model_id
      where r.status = 'completed'
      group by r.model_id, m.provider_id
    )
    select model_id from ranked where overall_rank <= 3 or provider_rank = 1 order by model_id`);
  return result.rows.map((row) => num(row.model_id));
}

export interface Throughput {
  /** The model as its provider names it (a stable label; display names change). */
  model: string;
  provider: string;
  requests: number;
  totalTokens: number;
  /** Tokens per second, 2 decimals. */
  tokensPerSecond: number;
}

/**
 * Throughput of one catalog model at one provider (its slug) over completed requests with a measured
 * latency, optionally only the recent `window`; undefined when there is no such request.
 */
export async function throughputOf(
  db: Database,
  modelId: number,
  providerSlug: string,
  window: ThroughputWindow | undefined,
): Promise<Throughput | undefined> {
  const since = window === undefined ? sql`true` : sql`r.created_at >= now() - ${throughputWindows[window]}::interval`;
  const result = await db.execute<Row>(sql`
    select m.provider_model_id as model, p.slug as provider, count(*)::bigint as requests,
           sum(r.prompt_tokens + r.completion_tokens)::bigint as total_tokens,
           round(sum(r.prompt_tokens + r.completion_tokens) * 1000.0 / nullif(sum(r.latency_ms), 0), 2)::float8
             as tokens_per_second
    from chat_completion_requests r
    join models m on m.id = r.model_id
    join providers p on p.id = m.provider_id
    where r.model_id = ${modelId} and p.slug = ${providerSlug} and r.status = 'completed'
      and r.latency_ms is not null and ${since}
    group by m.provider_model_id, p.slug`);
  const row = result.rows[0];
  if (!row || row.tokens_per_second === null || row.tokens_per_second === undefined) return undefined;
  return {
    model: String(row.model),
    provider: String(row.provider),
    requests: num(row.requests),
    totalTokens: num(row.total_tokens),
    tokensPerSecond: num(row.tokens_per_second),
  };
}
