// Reads behind the catalog APIs: the active catalog (cached per isolate by src/catalog/cache.ts), its
// version, and usage-derived rankings computed in SQL from the request log.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { models, providers } from "./schema";

/** One active (gateway, model) listing. Prices are USD-per-token decimal strings or null (unknown). */
export interface CatalogEntry {
  gateway: string;
  providerModelId: string;
  name: string;
  description: string | null;
  contextLength: number | null;
  maxCompletionTokens: number | null;
  modality: string | null;
  inputModalities: string[];
  outputModalities: string[];
  supportedParameters: string[];
  pricing: {
    prompt: string | null;
    completion: string | null;
    cacheRead: string | null;
    cacheWrite: string | null;
    request: string | null;
    image: string | null;
  };
  supportsStreaming: boolean;
  supportsTools: boolean;
  supportsVision: boolean;
  huggingFaceId: string | null;
  developer: string | null;
  firstSeenAt: Date;
}

export interface CatalogProviderRow {
  id: number;
  slug: string;
  name: string;
  isActive: boolean;
  health: string;
  lastSyncedAt: Date | null;
}

/** numeric(24,15) comes back padded ("0.000001200000000"): the shortest exact decimal instead. */
export function trimDecimal(value: string | null): string | null {
  if (value === null) return null;
  if (!value.includes(".")) return value;
  const trimmed = value.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "" || trimmed === "-0" ? "0" : trimmed;
}

export async function loadActiveCatalog(db: Database): Promise<CatalogEntry[]> {
  const rows = await db
    .select({ model: models, gateway: providers.slug })
    .from(models)
    .innerJoin(providers, eq(providers.id, models.providerId))
    .where(and(eq(models.isActive, true), eq(providers.isActive, true)))
    .orderBy(providers.slug, models.providerModelId);
  return rows.map(({ model, gateway }) => ({
    gateway,
    providerModelId: model.providerModelId,
    name: model.modelName,
    description: model.description,
    contextLength: model.contextLength,
    maxCompletionTokens: model.maxCompletionTokens,
    modality: model.modality,
    inputModalities: model.inputModalities,
    outputModalities: model.outputModalities,
    supportedParameters: model.supportedParameters,
    pricing: {
      prompt: trimDecimal(model.pricePrompt),
      completion: trimDecimal(model.priceCompletion),
      cacheRead: trimDecimal(model.priceCacheRead),
      cacheWrite: trimDecimal(model.priceCacheWrite),
      request: trimDecimal(model.priceRequest),
      image: trimDecimal(model.priceImage),
    },
    supportsStreaming: model.supportsStreaming,
    supportsTools: model.supportsTools,
    supportsVision: model.supportsVision,
    huggingFaceId: model.huggingFaceId,
    developer: model.developer,
    firstSeenAt: model.firstSeenAt,
  }));
}

export async function loadCatalogProviders(db: Database): Promise<CatalogProviderRow[]> {
  return db
    .select({
      id: providers.id,
      slug: providers.slug,
      name: providers.name,
      isActive: providers.isActive,
      health: providers.health,
      lastSyncedAt: providers.lastSyncedAt,
    })
    .from(providers)
    .orderBy(providers.name);
}

/** Changes whenever a sync writes anything (or a provider row changes): isolates reload on a change. */
export async function readCatalogVersion(db: Database): Promise<string> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select (select coalesce(max(id), 0) from model_sync_runs
             where status = 'succeeded' and models_synced + models_deactivated > 0)::text
           || ':' || (select coalesce(max(updated_at)::text, '') from providers) as version
  `);
  return String(result.rows[0]?.version ?? "");
}

export interface ModelUsageRank {
  gateway: string;
  providerModelId: string;
  requests: number;
  uniqueUsers: number;
  totalTokens: number;
}

/** Models by completed requests in the window (the real request log, not a static list). */
export async function trendingModels(db: Database, hours: number, limit: number): Promise<ModelUsageRank[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select provider, upstream_model, count(*) as requests, count(distinct user_id) as unique_users,
           coalesce(sum(prompt_tokens + completion_tokens), 0) as total_tokens
    from chat_completion_requests
    where created_at > now() - make_interval(hours => ${hours})
      and status = 'completed' and provider is not null and upstream_model is not null
    group by provider, upstream_model
    order by requests desc, total_tokens desc, provider, upstream_model
    limit ${limit}
  `);
  return result.rows.map((row) => ({
    gateway: String(row.provider),
    providerModelId: String(row.upstream_model),
    requests: Number(row.requests),
    uniqueUsers: Number(row.unique_users),
    totalTokens: Number(row.total_tokens),
  }));
}

export interface ModelLatency {
  gateway: string;
  providerModelId: string;
  requests: number;
  medianLatencyMs: number;
  medianTimeToFirstTokenMs: number | null;
  p90LatencyMs: number;
}

/**
 * Models by measured speed: median time to first token where streams measured it, else median total
 * latency; only models with at least `minRequests` completed requests in the window.
 */
export async function lowLatencyModels(
  db: Database,
  hours: number,
  minRequests: number,
  limit: number,
): Promise<ModelLatency[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select provider, upstream_model, count(*) as requests,
           percentile_cont(0.5) within group (order by latency_ms) as median_latency,
           percentile_cont(0.9) within group (order by latency_ms) as p90_latency,
           percentile_cont(0.5) within group (order by time_to_first_token_ms)
             filter (where time_to_first_token_ms is not null) as median_ttft
    from chat_completion_requests
    where created_at > now() - make_interval(hours => ${hours})
      and status = 'completed' and latency_ms is not null
      and provider is not null and upstream_model is not null
    group by provider, upstream_model
    having count(*) >= ${minRequests}
    order by coalesce(percentile_cont(0.5) within group (order by time_to_first_token_ms)
                        filter (where time_to_first_token_ms is not null),
                      percentile_cont(0.5) within group (order by latency_ms)),
             provider, upstream_model
    limit ${limit}
  `);
  return result.rows.map((row) => ({
    gateway: String(row.provider),
    providerModelId: String(row.upstream_model),
    requests: Number(row.requests),
    medianLatencyMs: Math.round(Number(row.median_latency)),
    p90LatencyMs: Math.round(Number(row.p90_latency)),
    medianTimeToFirstTokenMs: row.median_ttft === null ? null : Math.round(Number(row.median_ttft)),
  }));
}
