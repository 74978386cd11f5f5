// Admin reads of individual request-log rows: a filtered page with its exact total (also per API key),
// and the points of the plot endpoint (newest first in SQL, a bounded window, never the whole table).
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import {
  isoOrNull,
  num,
  numOrNull,
  type RequestFilter,
  type Row,
  requestWhere,
  textOrNull,
} from "./request-analytics-filters";

export interface CatalogModelRef {
  id: number;
  /** The gateway id, `<provider slug>/<provider model id>`. */
  modelId: string;
  modelName: string;
  providerModelId: string;
  providerId: number;
  provider: { id: number; name: string; slug: string };
}

export interface RequestRecord {
  id: number;
  requestId: string;
  userId: number | null;
  apiKeyId: number | null;
  modelId: number | null;
  requestedModel: string;
  provider: string | null;
  upstreamModel: string | null;
  endpoint: string;
  stream: boolean;
  status: string;
  httpStatus: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  usageEstimated: boolean;
  priced: boolean;
  /** Exact decimal USD. */
  costUsd: string;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  finishReason: string | null;
  errorMessage: string | null;
  attempts: unknown;
  createdAt: string;
  model: CatalogModelRef | null;
}

const recordColumns = sql`r.id, r.request_id, r.user_id, r.api_key_id, r.model_id, r.requested_model, r.provider,
  r.upstream_model, r.endpoint, r.stream, r.status, r.http_status, r.prompt_tokens, r.completion_tokens, r.cached_tokens,
  r.cache_write_tokens, r.reasoning_tokens, r.usage_estimated, r.priced, r.cost_usd::text as cost_usd, r.latency_ms,
  r.time_to_first_token_ms, r.finish_reason, r.error_message, r.attempts, r.created_at,
  m.id as catalog_model_id, m.model_name as catalog_model_name, m.provider_model_id as catalog_provider_model_id,
  mp.id as catalog_provider_id, mp.name as catalog_provider_name, mp.slug as catalog_provider_slug`;

const recordJoins = sql`left join models m on m.id = r.model_id left join providers mp on mp.id = m.provider_id`;

function recordOf(row: Row): RequestRecord {
  const slug = String(row.catalog_provider_slug ?? "");
  const model: CatalogModelRef | null =
    row.catalog_model_id === null || row.catalog_model_id === undefined
      ? null
      : {
          id: num(row.catalog_model_id),
          modelId: `${slug}/${String(row.catalog_provider_model_id)}`,
          modelName: String(row.catalog_model_name),
          providerModelId: String(row.catalog_provider_model_id),
          providerId: num(row.catalog_provider_id),
          provider: { id: num(row.catalog_provider_id), name: String(row.catalog_provider_name), slug },
        };
  return {
    id: num(row.id),
    requestId: String(row.request_id),
    userId: numOrNull(row.user_id),
    apiKeyId: numOrNull(row.api_key_id),
    modelId: numOrNull(row.model_id),
    requestedModel: String(row.requested_model),
    provider: textOrNull(row.provider),
    upstreamModel: textOrNull(row.upstream_model),
    endpoint: String(row.endpoint),
    stream: row.stream === true,
    status: String(row.status),
    httpStatus: num(row.http_status),
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    cachedTokens: num(row.cached_tokens),
    cacheWriteTokens: num(row.cache_write_tokens),
    reasoningTokens: num(row.reasoning_tokens),
    usageEstimated: row.usage_estimated === true,
    priced: row.priced === true,
    costUsd: String(row.cost_usd ?? "0"),
    latencyMs: numOrNull(row.latency_ms),
    timeToFirstTokenMs: numOrNull(row.time_to_first_token_ms),
    finishReason: textOrNull(row.finish_reason),
    errorMessage: textOrNull(row.error_message),
    attempts: row.attempts ?? [],
    createdAt: isoOrNull(row.created_at) ?? "",
    model,
  };
}

export async function countRequests(db: Database, filter: RequestFilter): Promise<number> {
  const result = await db.execute<Row>(
    sql`select count(*)::bigint as total from chat_completion_requests r where ${requestWhere(filter)}`,
  );
  return num(result.rows[0]?.total);
}

/** Newest first, one page, and the exact number of matching rows. */
export async function findRequests(
  db: Database,
  filter: RequestFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: RequestRecord[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.execute<Row>(sql`select ${recordColumns} from chat_completion_requests r ${recordJoins}
      where ${requestWhere(filter)}
      order by r.created_at desc, r.id desc limit ${page.limit} offset ${page.offset}`),
    countRequests(db, filter),
  ]);
  return { rows: rows.rows.map(recordOf), total };
}

export interface PlotPoint {
  tokens: number;
  latencyMs: number | null;
  createdAt: string;
}

/**
 * The newest `limit` matching rows after skipping `offset` newer ones, returned oldest first (the
 * order a chart draws them in): input + output tokens, latency and time of each.
 */
export async function plotPoints(
  db: Database,
  filter: RequestFilter,
  page: { limit: number; offset: number },
): Promise<PlotPoint[]> {
  const result = await db.execute<Row>(sql`
    select tokens, latency_ms, created_at from (
      select r.id, r.prompt_tokens + r.completion_tokens as tokens, r.latency_ms, r.created_at
      from chat_completion_requests r where ${requestWhere(filter)}
      order by r.created_at desc, r.id desc limit ${page.limit} offset ${page.offset}
    ) newest
    order by created_at, id`);
  return result.rows.map((row) => ({
    tokens: num(row.tokens),
    latencyMs: numOrNull(row.latency_ms),
    createdAt: isoOrNull(row.created_at) ?? "",
  }));
}

export interface KeyInfo {
  id: number;
  name: string | null;
  keyPrefix: string;
  userId: number;
  environmentTag: string;
  isActive: boolean;
  createdAt: string;
}

/** The API key with this hash (keys are stored hashed), for the per-key listing. */
export async function findKeyByHash(db: Database, keyHash: string): Promise<KeyInfo | undefined> {
  const result = await db.execute<Row>(sql`select id, name, key_prefix, user_id, environment_tag, is_active, created_at
    from api_keys where key_hash = ${keyHash}`);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: num(row.id),
    name: textOrNull(row.name),
    keyPrefix: String(row.key_prefix),
    userId: num(row.user_id),
    environmentTag: String(row.environment_tag),
    isActive: row.is_active === true,
    createdAt: isoOrNull(row.created_at) ?? "",
  };
}
