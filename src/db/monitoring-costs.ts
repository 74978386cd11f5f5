// Where the money went: the request log's cost over a filter (the admin request-analytics filters),
// in total, per provider, per model (the most expensive first) and per UTC day. Sums stay exact decimals.
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { num, type RequestFilter, type Row, requestWhere } from "./request-analytics-filters";

export interface CostLine {
  provider: string | null;
  model: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Exact decimal USD. */
  costUsd: string;
}

export interface CostBreakdown {
  total: CostLine & { unpricedRequests: number };
  byProvider: CostLine[];
  byModel: CostLine[];
  /** Models with any request, of which byModel lists the first `topModels`. */
  modelCount: number;
  daily: (CostLine & { date: string })[];
}

const lineColumns = sql`count(*)::bigint as requests,
  coalesce(sum(r.prompt_tokens), 0)::bigint as prompt_tokens,
  coalesce(sum(r.completion_tokens), 0)::bigint as completion_tokens,
  coalesce(sum(r.cost_usd), 0)::text as cost_usd`;

function lineOf(row: Row): CostLine {
  return {
    provider: row.provider === null || row.provider === undefined ? null : String(row.provider),
    model: row.model === null || row.model === undefined ? null : String(row.model),
    requests: num(row.requests),
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    costUsd: String(row.cost_usd ?? "0"),
  };
}

export async function costBreakdown(db: Database, filter: RequestFilter, topModels: number): Promise<CostBreakdown> {
  const where = requestWhere(filter);
  const model = sql`coalesce(r.upstream_model, r.requested_model)`;
  const day = sql`date_trunc('day', r.created_at at time zone 'UTC')`;
  const [total, byProvider, byModel, daily] = await Promise.all([
    db.execute<Row>(sql`select ${lineColumns}, count(*) filter (where not r.priced)::bigint as unpriced,
        count(distinct (r.provider, ${model}))::bigint as models
      from chat_completion_requests r where ${where}`),
    db.execute<Row>(sql`select r.provider, ${lineColumns} from chat_completion_requests r where ${where}
      group by r.provider order by sum(r.cost_usd) desc, count(*) desc, r.provider`),
    db.execute<Row>(sql`select r.provider, ${model} as model, ${lineColumns} from chat_completion_requests r
      where ${where} group by r.provider, ${model} order by sum(r.cost_usd) desc, count(*) desc, r.provider, model
      limit ${topModels}`),
    db.execute<Row>(sql`select to_char(${day}, 'YYYY-MM-DD') as date, ${lineColumns}
      from chat_completion_requests r where ${where} group by ${day} order by ${day}`),
  ]);
  const totalRow = total.rows[0] ?? {};
  return {
    total: { ...lineOf({ ...totalRow, provider: null, model: null }), unpricedRequests: num(totalRow.unpriced) },
    byProvider: byProvider.rows.map(lineOf),
    byModel: byModel.rows.map(lineOf),
    modelCount: num(totalRow.models),
    daily: daily.rows.map((row) => ({ ...lineOf({ ...row, provider: null, model: null }), date: String(row.date) })),
  };
}
