// Response-cache savings of one user, from the request log (seed 001 L4086-4234), in SQL.
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export interface CacheSavings {
  totalRequests: number;
  cacheHits: number;
  totalSavings: string;
  /** Savings scaled to 30 days: savings / days × 30. */
  monthlySavings: string;
}

export async function cacheSavings(db: Database, userId: number, days: number): Promise<CacheSavings> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select count(*)::int as total, count(*) filter (where cache_hit)::int as hits,
           coalesce(sum(saved_cost_usd), 0)::text as savings,
           round(coalesce(sum(saved_cost_usd), 0) / ${days} * 30, 9)::text as monthly
    from chat_completion_requests
    where user_id = ${userId} and status = 'completed' and created_at >= now() - make_interval(days => ${days})`);
  const row = result.rows[0] ?? {};
  return {
    totalRequests: Number(row.total ?? 0),
    cacheHits: Number(row.hits ?? 0),
    totalSavings: String(row.savings ?? "0"),
    monthlySavings: String(row.monthly ?? "0"),
  };
}

export async function cachedModels(db: Database, userId: number, days: number, limit: number) {
  const result = await db.execute<Record<string, unknown>>(sql`
    select requested_model as model_name, max(provider) as provider, count(*)::int as total,
           count(*) filter (where cache_hit)::int as hits, coalesce(sum(saved_cost_usd), 0)::text as savings
    from chat_completion_requests
    where user_id = ${userId} and status = 'completed' and created_at >= now() - make_interval(days => ${days})
    group by requested_model
    having count(*) filter (where cache_hit) > 0
    order by count(*) filter (where cache_hit) desc, requested_model
    limit ${limit}`);
  return result.rows.map((row) => ({
    modelName: String(row.model_name),
    provider: row.provider === null ? null : String(row.provider),
    totalRequests: Number(row.total),
    cacheHits: Number(row.hits),
    savings: String(row.savings),
  }));
}

/** Merges into the user's preferences; returns them and the user's key hashes (to drop from the auth cache). */
export async function mergePreferences(db: Database, userId: number, changes: Record<string, unknown>) {
  const result = await db.execute<{ preferences: Record<string, unknown>; key_hashes: string[] }>(sql`
    update users set preferences = preferences || ${JSON.stringify(changes)}::jsonb, updated_at = now()
    where id = ${userId}
    returning preferences, coalesce((select array_agg(key_hash) from api_keys where user_id = ${userId}), '{}') as key_hashes`);
  const row = result.rows[0];
  return row ? { preferences: row.preferences, keyHashes: row.key_hashes } : undefined;
}
