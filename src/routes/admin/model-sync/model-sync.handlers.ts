import type { RouteHandler } from "@hono/zod-openapi";
import {
  configuredProviders,
  ProviderNotConfiguredError,
  type SyncResult,
  syncableProviders,
  syncProviderCatalog,
  syncProviders,
} from "../../../catalog/sync";
import { MODEL_SYNC_CRON } from "../../../cron/model-sync";
import {
  catalogCountsByProvider,
  latestSyncRunPerProvider,
  providerSyncStates,
  recentSyncRuns,
  type SyncRunRow,
} from "../../../db/catalog-sync";
import type { AppEnv } from "../../../env";
import { ApiError, conflict, notFound } from "../../../lib/errors";
import { providerEnvName, providerIdFor, providers } from "../../../providers/registry";
import type { ProviderAdapter } from "../../../providers/types";
import type { syncAllRoute, syncableProvidersRoute, syncProviderRoute, syncStatusRoute } from "./model-sync.routes";

function presentResult(result: SyncResult) {
  return {
    provider: result.provider,
    provider_id: result.providerId,
    run_id: result.runId,
    dry_run: result.dryRun,
    success: result.success,
    message: result.message,
    pages_fetched: result.pagesFetched,
    models_fetched: result.modelsFetched,
    models_transformed: result.modelsTransformed,
    models_skipped: result.modelsSkipped,
    models_synced: result.modelsSynced,
    models_deactivated: result.modelsDeactivated,
    error: result.error,
    warnings: result.warnings,
  };
}

function presentRun(run: SyncRunRow) {
  return {
    id: run.id,
    provider: run.provider,
    trigger: run.trigger,
    status: run.status,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    pages_fetched: run.pagesFetched,
    models_fetched: run.modelsFetched,
    models_transformed: run.modelsTransformed,
    models_skipped: run.modelsSkipped,
    models_synced: run.modelsSynced,
    models_deactivated: run.modelsDeactivated,
    error: run.error,
  };
}

export const syncProvider: RouteHandler<typeof syncProviderRoute, AppEnv> = async (c) => {
  const { provider } = c.req.valid("param");
  const dryRun = c.req.valid("query").dry_run === "true";
  const id = providerIdFor(provider);
  if (!id || !syncableProviders(c.var.config.ENVIRONMENT).includes(id)) {
    throw notFound(`Unknown provider '${provider}'`, "unknown_provider");
  }
  let result: SyncResult;
  try {
    result = await syncProviderCatalog(c.env, c.var.config, c.var.db(), id, { dryRun, trigger: "admin" });
  } catch (error) {
    if (error instanceof ProviderNotConfiguredError) throw conflict(error.message, "provider_not_configured");
    throw error;
  }
  if (!result.success) throw new ApiError(502, result.message, "model_sync_failed");
  return c.json({ success: true as const, message: result.message, details: presentResult(result) }, 200);
};

export const syncAll: RouteHandler<typeof syncAllRoute, AppEnv> = async (c) => {
  const dryRun = c.req.valid("query").dry_run === "true";
  const all = syncableProviders(c.var.config.ENVIRONMENT);
  const configured = configuredProviders(c.env, c.var.config, all);
  const results = await syncProviders(c.env, c.var.config, c.var.db(), configured, { dryRun, trigger: "admin" });
  const failed = results.filter((result) => !result.success);
  const models = results.reduce((sum, result) => sum + (dryRun ? result.modelsTransformed : result.modelsSynced), 0);
  const verb = dryRun ? "Dry run: would sync" : "Synced";
  return c.json(
    {
      success: failed.length === 0,
      message: `${verb} ${models} models from ${results.length - failed.length} of ${results.length} configured providers${
        failed.length > 0 ? `; failed: ${failed.map((result) => result.provider).join(", ")}` : ""
      }`,
      results: results.map(presentResult),
      not_configured: all.filter((id) => !configured.includes(id)),
    },
    200,
  );
};

export const listSyncableProviders: RouteHandler<typeof syncableProvidersRoute, AppEnv> = async (c) => {
  const db = c.var.db();
  const [counts, states] = await Promise.all([catalogCountsByProvider(db), providerSyncStates(db)]);
  const countBySlug = new Map(counts.map((row) => [row.slug, row]));
  const syncedAt = new Map(states.map((row) => [row.slug, row.lastSyncedAt]));
  const all = syncableProviders(c.var.config.ENVIRONMENT);
  const configured = new Set(configuredProviders(c.env, c.var.config, all));
  const list = all.map((id) => ({
    slug: id,
    name: (providers[id] as ProviderAdapter).displayName,
    configured: configured.has(id),
    api_key_env: providerEnvName(id, "API_KEY"),
    active_models: countBySlug.get(id)?.active ?? 0,
    inactive_models: countBySlug.get(id)?.inactive ?? 0,
    last_synced_at: syncedAt.get(id)?.toISOString() ?? null,
  }));
  return c.json({ providers: list, total: list.length, configured: configured.size }, 200);
};

export const syncStatus: RouteHandler<typeof syncStatusRoute, AppEnv> = async (c) => {
  const db = c.var.db();
  const [counts, latest, recent] = await Promise.all([
    catalogCountsByProvider(db),
    latestSyncRunPerProvider(db),
    recentSyncRuns(db, 20),
  ]);
  const latestBySlug = new Map(latest.map((run) => [run.provider, run]));
  const slugs = [...new Set([...counts.map((row) => row.slug), ...latest.map((run) => run.provider)])].sort();
  const countBySlug = new Map(counts.map((row) => [row.slug, row]));
  const perProvider = slugs.map((slug) => {
    const run = latestBySlug.get(slug);
    return {
      provider: slug,
      active_models: countBySlug.get(slug)?.active ?? 0,
      inactive_models: countBySlug.get(slug)?.inactive ?? 0,
      last_run: run ? presentRun(run) : null,
    };
  });
  return c.json(
    {
      catalog: {
        providers: counts.length,
        active_models: counts.reduce((sum, row) => sum + row.active, 0),
        inactive_models: counts.reduce((sum, row) => sum + row.inactive, 0),
      },
      providers: perProvider,
      recent_runs: recent.map(presentRun),
      schedule: {
        cron: MODEL_SYNC_CRON,
        providers_per_run: c.var.config.MODEL_SYNC_PROVIDERS_PER_RUN,
        interval_minutes: c.var.config.MODEL_SYNC_INTERVAL_MINUTES,
      },
      timestamp: new Date().toISOString(),
    },
    200,
  );
};
