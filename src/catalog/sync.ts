// Model catalog sync (seed 004): fetch a provider's complete list → transform to catalog rows →
// upsert keyed by (provider_id, provider_model_id), retiring what the provider no longer lists.
// Every real run is recorded in model_sync_runs; a dry run fetches and transforms but writes nothing.

import { applyCatalog, ensureProvider, finishSyncRun, type SyncRunCounts, startSyncRun } from "../db/catalog-sync";
import type { Database } from "../db/client";
import { type Config, ConfigError, type Env } from "../env";
import { clearCatalogRoutes } from "../gateway/catalog-routes";
import { clearPriceCache } from "../gateway/settle";
import { type ProviderId, providerEnvName, providerSettings, providers } from "../providers/registry";
import type { ProviderAdapter } from "../providers/types";
import { invalidateCatalog } from "./cache";
import { fetchCompleteModelList } from "./fetch-model-list";
import { loadModelsDev, type ModelsDevCatalog } from "./models-dev-source";
import { transformModels } from "./transform";

export class ProviderNotConfiguredError extends Error {
  constructor(readonly provider: string) {
    super(`Provider '${provider}' is not configured: set ${providerEnvName(provider, "API_KEY")}`);
    this.name = "ProviderNotConfiguredError";
  }
}

export interface SyncOptions {
  dryRun: boolean;
  trigger: "cron" | "admin";
  /** Shared by the providers of one run so models.dev is fetched once. */
  modelsDev?: { catalog?: ModelsDevCatalog; error?: string };
}

export interface SyncResult extends SyncRunCounts {
  provider: string;
  providerId: number | null;
  runId: number | null;
  dryRun: boolean;
  success: boolean;
  message: string;
  error: string | null;
  /** Notes that did not fail the run (entries skipped, models.dev unavailable). */
  warnings: string[];
}

const noCounts: SyncRunCounts = {
  pagesFetched: 0,
  modelsFetched: 0,
  modelsTransformed: 0,
  modelsSkipped: 0,
  modelsSynced: 0,
  modelsDeactivated: 0,
};

function summary(provider: string, counts: SyncRunCounts, dryRun: boolean): string {
  const tail = `Fetched: ${counts.modelsFetched}, Transformed: ${counts.modelsTransformed}, Skipped: ${counts.modelsSkipped}`;
  if (dryRun) return `Dry run: would sync ${counts.modelsTransformed} models from ${provider}. ${tail}`;
  return `Synced ${counts.modelsSynced} models from ${provider}. ${tail}`;
}

/** Providers that can be synced here: registered, and not development-only in production. */
export function syncableProviders(environment: string): ProviderId[] {
  return (Object.keys(providers) as ProviderId[]).filter((id) => {
    const adapter: ProviderAdapter = providers[id];
    return !(adapter.developmentOnly && environment === "production");
  });
}

export async function syncProviderCatalog(
  env: Env,
  config: Config,
  db: Database,
  id: ProviderId,
  options: SyncOptions,
): Promise<SyncResult> {
  const adapter: ProviderAdapter = providers[id];
  const settings = providerSettings(env, id, config.ENVIRONMENT);
  if (!settings) throw new ProviderNotConfiguredError(id);

  let providerId: number | null = null;
  let runId: number | null = null;
  if (!options.dryRun) {
    providerId = await ensureProvider(db, {
      slug: id,
      name: adapter.displayName,
      baseUrl: settings.baseUrl,
      apiKeyEnv: providerEnvName(id, "API_KEY"),
    });
    runId = await startSyncRun(db, id, options.trigger);
  }

  const counts: SyncRunCounts = { ...noCounts };
  const warnings: string[] = [];
  try {
    const list = await fetchCompleteModelList(adapter, settings, config.MODEL_SYNC_MAX_PAGES);
    counts.pagesFetched = list.pages;
    counts.modelsFetched = list.models.length;
    const modelsDev = adapter.modelsDevId
      ? (options.modelsDev ?? (await loadModelsDev(config.MODELS_DEV_URL)))
      : undefined;
    if (modelsDev?.error) warnings.push(modelsDev.error);
    const enrichment = adapter.modelsDevId ? modelsDev?.catalog?.get(adapter.modelsDevId) : undefined;
    const transformed = transformModels(list.models, enrichment);
    counts.modelsTransformed = transformed.rows.length;
    counts.modelsSkipped = transformed.skipped;
    warnings.push(...transformed.skipReasons.map((reason) => `skipped: ${reason}`));
    if (providerId !== null && runId !== null) {
      const applied = await applyCatalog(db, providerId, transformed.rows);
      counts.modelsSynced = applied.synced;
      counts.modelsDeactivated = applied.deactivated;
      await finishSyncRun(db, runId, counts, null);
      invalidateCatalog();
      // Other isolates pick up new prices within the price cache's minute.
      clearPriceCache();
      clearCatalogRoutes();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (runId !== null) await finishSyncRun(db, runId, { ...counts, modelsSynced: 0, modelsDeactivated: 0 }, message);
    console.warn(JSON.stringify({ msg: "model sync failed", provider: id, run_id: runId, error: message }));
    return {
      ...counts,
      modelsSynced: 0,
      modelsDeactivated: 0,
      provider: id,
      providerId,
      runId,
      dryRun: options.dryRun,
      success: false,
      message: `Sync of ${id} failed: ${message}`,
      error: message,
      warnings,
    };
  }
  return {
    ...counts,
    provider: id,
    providerId,
    runId,
    dryRun: options.dryRun,
    success: true,
    message: summary(id, counts, options.dryRun),
    error: null,
    warnings,
  };
}

/** Syncs each given provider in turn (one failing provider does not stop the others). */
export async function syncProviders(
  env: Env,
  config: Config,
  db: Database,
  ids: ProviderId[],
  options: Omit<SyncOptions, "modelsDev">,
): Promise<SyncResult[]> {
  const needsModelsDev = ids.some((id) => (providers[id] as ProviderAdapter).modelsDevId !== undefined);
  const modelsDev = needsModelsDev ? await loadModelsDev(config.MODELS_DEV_URL) : undefined;
  const results: SyncResult[] = [];
  for (const id of ids) results.push(await syncProviderCatalog(env, config, db, id, { ...options, modelsDev }));
  return results;
}

/**
 * The configured providers among `ids` (a provider without an API key is never called). A provider
 * with a malformed setting counts as not configured here, so it cannot stop the others; syncing it
 * alone reports the setting.
 */
export function configuredProviders(env: Env, config: Config, ids: ProviderId[]): ProviderId[] {
  return ids.filter((id) => {
    try {
      return providerSettings(env, id, config.ENVIRONMENT) !== undefined;
    } catch (error) {
      if (error instanceof ConfigError) return false;
      throw error;
    }
  });
}
