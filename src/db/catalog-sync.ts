// Writes of the catalog sync: the provider row, the run ledger, and one atomic apply of a fetched
// model list (upsert in batches, retire what the provider no longer lists).
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Database } from "./client";
import { modelSyncRuns, models, providers } from "./schema";

/** One model as the sync writes it (prices are USD-per-token decimal strings). */
export interface CatalogModelInput {
  providerModelId: string;
  modelName: string;
  description: string | null;
  contextLength: number | null;
  maxCompletionTokens: number | null;
  modality: string | null;
  inputModalities: string[];
  outputModalities: string[];
  supportedParameters: string[];
  pricePrompt: string | null;
  priceCompletion: string | null;
  priceCacheRead: string | null;
  priceCacheWrite: string | null;
  priceRequest: string | null;
  priceImage: string | null;
  supportsStreaming: boolean;
  supportsTools: boolean;
  supportsVision: boolean;
  huggingFaceId: string | null;
  developer: string | null;
}

export interface ProviderIdentity {
  slug: string;
  name: string;
  baseUrl: string;
  apiKeyEnv: string;
}

/** Postgres takes at most 65,535 parameters per statement; 500 rows × 21 columns stays well under. */
const UPSERT_BATCH = 500;

export async function ensureProvider(db: Database, provider: ProviderIdentity): Promise<number> {
  const [row] = await db
    .insert(providers)
    .values(provider)
    .onConflictDoUpdate({
      target: providers.slug,
      set: { name: provider.name, baseUrl: provider.baseUrl, apiKeyEnv: provider.apiKeyEnv, updatedAt: sql`now()` },
    })
    .returning({ id: providers.id });
  if (!row) throw new Error(`provider ${provider.slug} could not be stored`);
  return row.id;
}

export async function startSyncRun(db: Database, provider: string, trigger: "cron" | "admin"): Promise<number> {
  const [row] = await db.insert(modelSyncRuns).values({ provider, trigger }).returning({ id: modelSyncRuns.id });
  if (!row) throw new Error("sync run could not be recorded");
  return row.id;
}

export interface SyncRunCounts {
  pagesFetched: number;
  modelsFetched: number;
  modelsTransformed: number;
  modelsSkipped: number;
  modelsSynced: number;
  modelsDeactivated: number;
}

export async function finishSyncRun(
  db: Database,
  runId: number,
  counts: SyncRunCounts,
  error: string | null,
): Promise<void> {
  await db
    .update(modelSyncRuns)
    .set({ ...counts, error, status: error === null ? "succeeded" : "failed", finishedAt: sql`now()` })
    .where(eq(modelSyncRuns.id, runId));
}

/**
 * Applies a provider's complete model list in one transaction: upserts keyed by (provider_id,
 * provider_model_id) in batches, then retires every active model of the provider that this list did
 * not touch. A failure anywhere rolls it all back, so a catalog is never half-synced. Concurrent syncs
 * of one provider queue on an advisory lock.
 */
export async function applyCatalog(
  db: Database,
  providerId: number,
  rows: CatalogModelInput[],
): Promise<{ synced: number; deactivated: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('model-sync'), ${providerId})`);
    let synced = 0;
    for (let start = 0; start < rows.length; start += UPSERT_BATCH) {
      const batch = rows.slice(start, start + UPSERT_BATCH).map((row) => ({ ...row, providerId }));
      const written = await tx
        .insert(models)
        .values(batch)
        .onConflictDoUpdate({
          target: [models.providerId, models.providerModelId],
          set: {
            modelName: sql`excluded.model_name`,
            description: sql`excluded.description`,
            contextLength: sql`excluded.context_length`,
            maxCompletionTokens: sql`excluded.max_completion_tokens`,
            modality: sql`excluded.modality`,
            inputModalities: sql`excluded.input_modalities`,
            outputModalities: sql`excluded.output_modalities`,
            supportedParameters: sql`excluded.supported_parameters`,
            pricePrompt: sql`excluded.price_prompt`,
            priceCompletion: sql`excluded.price_completion`,
            priceCacheRead: sql`excluded.price_cache_read`,
            priceCacheWrite: sql`excluded.price_cache_write`,
            priceRequest: sql`excluded.price_request`,
            priceImage: sql`excluded.price_image`,
            supportsStreaming: sql`excluded.supports_streaming`,
            supportsTools: sql`excluded.supports_tools`,
            supportsVision: sql`excluded.supports_vision`,
            huggingFaceId: sql`excluded.hugging_face_id`,
            developer: sql`excluded.developer`,
            isActive: true,
            lastSeenAt: sql`now()`,
            updatedAt: sql`now()`,
          },
        })
        .returning({ id: models.id });
      synced += written.length;
    }
    // now() is the transaction's start time: every row written above has last_seen_at = now().
    const retired = await tx
      .update(models)
      .set({ isActive: false, updatedAt: sql`now()` })
      .where(and(eq(models.providerId, providerId), eq(models.isActive, true), lt(models.lastSeenAt, sql`now()`)))
      .returning({ id: models.id });
    await tx.update(providers).set({ lastSyncedAt: sql`now()` }).where(eq(providers.id, providerId));
    return { synced, deactivated: retired.length };
  });
}

export type SyncRunRow = typeof modelSyncRuns.$inferSelect;

export async function recentSyncRuns(db: Database, limit: number): Promise<SyncRunRow[]> {
  return db.select().from(modelSyncRuns).orderBy(desc(modelSyncRuns.id)).limit(limit);
}

/** The latest run of each provider (Postgres `distinct on`). */
export async function latestSyncRunPerProvider(db: Database): Promise<SyncRunRow[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select distinct on (provider) id from model_sync_runs order by provider, id desc
  `);
  const ids = result.rows.map((row) => Number(row.id));
  if (ids.length === 0) return [];
  return db
    .select()
    .from(modelSyncRuns)
    .where(sql`${modelSyncRuns.id} in (${sql.join(ids, sql`, `)})`)
    .orderBy(modelSyncRuns.provider);
}

export interface ProviderSyncState {
  slug: string;
  lastSyncedAt: Date | null;
}

export async function providerSyncStates(db: Database): Promise<ProviderSyncState[]> {
  return db.select({ slug: providers.slug, lastSyncedAt: providers.lastSyncedAt }).from(providers);
}

/** Per provider: how many models the catalog holds, active and retired. */
export async function catalogCountsByProvider(
  db: Database,
): Promise<{ slug: string; active: number; inactive: number }[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select p.slug,
           count(m.id) filter (where m.is_active) as active,
           count(m.id) filter (where not m.is_active) as inactive
    from providers p left join models m on m.provider_id = p.id
    group by p.slug order by p.slug
  `);
  return result.rows.map((row) => ({
    slug: String(row.slug),
    active: Number(row.active),
    inactive: Number(row.inactive),
  }));
}
