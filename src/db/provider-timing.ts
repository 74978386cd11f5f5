// Provider response times from the request log (chat_completion_requests.latency_ms): the gateway's own
// measurements of recent requests, per provider, and the slow ones per provider/model (seed thresholds:
// slow 30–45 s, very slow > 45 s). Failed requests count too: a timeout is the slowest answer of all.
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export const slowLatencyMs = 30_000;
export const verySlowLatencyMs = 45_000;

export interface ProviderTiming {
  provider: string;
  requests: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
  maxLatencyMs: number;
  /** 30–45 s. */
  slow: number;
  /** Over 45 s. */
  verySlow: number;
}

export interface SlowModelCount {
  provider: string;
  model: string;
  slow: number;
  verySlow: number;
}

export interface ProviderTimingSummary {
  since: Date;
  providers: ProviderTiming[];
  slowModels: SlowModelCount[];
}

/** Requests logged since `since` that reached a provider and have a measured latency. */
function recentRows(since: Date) {
  return sql`provider is not null and latency_ms is not null and created_at >= ${since.toISOString()}::timestamptz`;
}

const slowCount = sql`count(*) filter (where latency_ms >= ${slowLatencyMs} and latency_ms <= ${verySlowLatencyMs})::int`;
const verySlowCount = sql`count(*) filter (where latency_ms > ${verySlowLatencyMs})::int`;

export async function providerTimingSince(db: Database, since: Date): Promise<ProviderTimingSummary> {
  const [perProvider, perModel] = await Promise.all([
    db.execute<{
      provider: string;
      requests: number;
      avg_latency_ms: number;
      p95_latency_ms: number;
      max_latency_ms: number;
      slow: number;
      very_slow: number;
    }>(sql`
      select provider,
             count(*)::int as requests,
             round(avg(latency_ms))::int as avg_latency_ms,
             round(percentile_cont(0.95) within group (order by latency_ms))::int as p95_latency_ms,
             max(latency_ms)::int as max_latency_ms,
             ${slowCount} as slow,
             ${verySlowCount} as very_slow
      from chat_completion_requests
      where ${recentRows(since)}
      group by provider
      order by provider`),
    db.execute<{ provider: string; model: string; slow: number; very_slow: number }>(sql`
      select provider,
             coalesce(upstream_model, requested_model) as model,
             ${slowCount} as slow,
             ${verySlowCount} as very_slow
      from chat_completion_requests
      where ${recentRows(since)} and latency_ms >= ${slowLatencyMs}
      group by provider, coalesce(upstream_model, requested_model)
      order by provider, model`),
  ]);
  return {
    since,
    providers: perProvider.rows.map((row) => ({
      provider: row.provider,
      requests: row.requests,
      avgLatencyMs: row.avg_latency_ms,
      p95LatencyMs: row.p95_latency_ms,
      maxLatencyMs: row.max_latency_ms,
      slow: row.slow,
      verySlow: row.very_slow,
    })),
    slowModels: perModel.rows.map((row) => ({
      provider: row.provider,
      model: row.model,
      slow: row.slow,
      verySlow: row.very_slow,
    })),
  };
}
