// Routing decisions over a time window, from the request log (chat_completion_requests rows whose
// requested model is a `router:` id) joined to router_decisions for how each prompt was classified.
import { sql } from "drizzle-orm";
import { type AnyDatabase, queryRows } from "./client";

export interface RouterTotals {
  requests: number;
  completed: number;
  failed: number;
  costUsd: string;
  averageConfidence: number | null;
}

export interface RoutedModelStats {
  routerModel: string;
  provider: string | null;
  upstreamModel: string | null;
  requests: number;
  completed: number;
  costUsd: string;
  promptTokens: number;
  completionTokens: number;
  averageLatencyMs: number | null;
}

export interface ClassificationStats {
  category: string | null;
  complexity: string | null;
  tier: number | null;
  requests: number;
}

export interface RouterStats {
  totals: RouterTotals;
  byModel: RoutedModelStats[];
  byClassification: ClassificationStats[];
}

const routed = (since: Date) => sql`from chat_completion_requests c
  left join router_decisions d on d.request_id = c.request_id
  where c.requested_model like 'router:%' and c.created_at >= ${since.toISOString()}`;

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export async function routerStats(db: AnyDatabase, since: Date): Promise<RouterStats> {
  const [totals] = await queryRows(
    db,
    sql`select count(*)::int as requests,
               count(*) filter (where c.status = 'completed')::int as completed,
               count(*) filter (where c.status = 'failed')::int as failed,
               coalesce(sum(c.cost_usd), 0)::text as cost,
               avg(d.confidence)::float8 as confidence
        ${routed(since)}`,
  );
  const models = await queryRows(
    db,
    sql`select c.requested_model, c.provider, c.upstream_model, count(*)::int as requests,
               count(*) filter (where c.status = 'completed')::int as completed,
               coalesce(sum(c.cost_usd), 0)::text as cost,
               coalesce(sum(c.prompt_tokens), 0)::bigint::text as prompt_tokens,
               coalesce(sum(c.completion_tokens), 0)::bigint::text as completion_tokens,
               avg(c.latency_ms)::float8 as latency
        ${routed(since)}
        group by c.requested_model, c.provider, c.upstream_model
        order by requests desc, c.requested_model, c.provider, c.upstream_model
        limit 200`,
  );
  const classes = await queryRows(
    db,
    sql`select d.category, d.complexity, d.tier, count(*)::int as requests
        ${routed(since)}
        group by d.category, d.complexity, d.tier
        order by requests desc, d.category, d.complexity, d.tier`,
  );
  return {
    totals: {
      requests: Number(totals?.requests ?? 0),
      completed: Number(totals?.completed ?? 0),
      failed: Number(totals?.failed ?? 0),
      costUsd: String(totals?.cost ?? "0"),
      averageConfidence: numberOrNull(totals?.confidence),
    },
    byModel: models.map((row) => ({
      routerModel: String(row.requested_model),
      provider: row.provider === null ? null : String(row.provider),
      upstreamModel: row.upstream_model === null ? null : String(row.upstream_model),
      requests: Number(row.requests),
      completed: Number(row.completed),
      costUsd: String(row.cost),
      promptTokens: Number(row.prompt_tokens),
      completionTokens: Number(row.completion_tokens),
      averageLatencyMs: numberOrNull(row.latency),
    })),
    byClassification: classes.map((row) => ({
      category: row.category === null ? null : String(row.category),
      complexity: row.complexity === null ? null : String(row.complexity),
      tier: numberOrNull(row.tier),
      requests: Number(row.requests),
    })),
  };
}
