// The request log's admin filters as one SQL condition, and the small parsers every request-analytics
// query shares. Seed names map onto ours: input/output tokens are prompt/completion tokens,
// processing_time_ms is latency_ms, a provider id is the catalog's providers.id (rows keep its slug).

import { type SQL, sql } from "drizzle-orm";
import { containsPattern } from "./like-pattern";

export interface RequestFilter {
  /** The catalog model (models.id). */
  modelId?: number;
  /** The catalog provider (providers.id); rows record its slug. */
  providerId?: number;
  /** The provider's slug as the row records it (also for providers not in the catalog). */
  provider?: string;
  /** Part of the catalog model name, the requested model or the upstream model (case-insensitive). */
  modelName?: string;
  userId?: number;
  apiKeyId?: number;
  status?: "completed" | "failed";
  /** Inclusive bounds on created_at. */
  from?: Date;
  to?: Date;
}

/** The filter over `chat_completion_requests r`, needing no join (so counts stay single-table). */
export function requestWhere(filter: RequestFilter): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filter.modelId !== undefined) conditions.push(sql`r.model_id = ${filter.modelId}`);
  if (filter.providerId !== undefined) {
    conditions.push(sql`r.provider = (select slug from providers where id = ${filter.providerId})`);
  }
  if (filter.provider !== undefined) conditions.push(sql`r.provider = ${filter.provider}`);
  if (filter.modelName !== undefined) {
    const like = containsPattern(filter.modelName);
    conditions.push(sql`(r.requested_model ilike ${like} or r.upstream_model ilike ${like}
      or exists (select 1 from models fm where fm.id = r.model_id and fm.model_name ilike ${like}))`);
  }
  if (filter.userId !== undefined) conditions.push(sql`r.user_id = ${filter.userId}`);
  if (filter.apiKeyId !== undefined) conditions.push(sql`r.api_key_id = ${filter.apiKeyId}`);
  if (filter.status !== undefined) conditions.push(sql`r.status = ${filter.status}`);
  if (filter.from !== undefined) conditions.push(sql`r.created_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to !== undefined) conditions.push(sql`r.created_at <= ${filter.to.toISOString()}::timestamptz`);
  return sql.join(conditions, sql` and `);
}

/**
 * One "model" of the request log: the catalog model when the row has one, otherwise the provider and
 * the model as sent upstream (or as requested, when no provider was reached). Rows without a catalog
 * entry are kept visible rather than dropped by an inner join as the seed's queries did.
 */
export const modelGroupColumns = sql`r.model_id, r.provider, coalesce(r.upstream_model, r.requested_model)`;

export type Row = Record<string, unknown>;

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
export const textOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

/** A timestamp as ISO 8601 (the driver gives a Date for timestamptz; a string if cast). */
export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}
