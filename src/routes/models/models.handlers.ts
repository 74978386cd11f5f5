import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type CatalogSnapshot, catalogSnapshot } from "../../catalog/cache";
import {
  type CatalogListing,
  findModel,
  gatewayCounts,
  listCatalog,
  type Page,
  paginate,
  resolveGateway,
  searchCatalog,
} from "../../catalog/query";
import { configuredProviders, syncableProviders } from "../../catalog/sync";
import { lowLatencyModels, trendingModels } from "../../db/catalog-reads";
import { catalogCountsByProvider } from "../../db/catalog-sync";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { providers } from "../../providers/registry";
import type { ProviderAdapter } from "../../providers/types";
import { presentModel } from "./models.presenters";
import type {
  gatewaySummaryRoute,
  listModelsRoute,
  listProvidersRoute,
  lowLatencyModelsRoute,
  searchModelsRoute,
  trendingModelsRoute,
} from "./models.routes";

export function snapshotOf(c: Context<AppEnv>): Promise<CatalogSnapshot> {
  return catalogSnapshot(c.var.db(), c.var.config.CATALOG_CACHE_TTL_SECONDS);
}

/** OpenAI's list envelope with the page's counts. */
function modelList(page: Page<CatalogListing>, gateway: string) {
  const data = page.items.map(presentModel);
  const { total, offset, limit } = page;
  return { object: "list" as const, data, total, returned: data.length, offset, limit, gateway };
}

export const listModels: RouteHandler<typeof listModelsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const gateway = resolveGateway(query.gateway);
  const { models } = await snapshotOf(c);
  const page = paginate(listCatalog(models, { gateway, developer: query.provider }), query.offset, query.limit);
  return c.json(modelList(page, gateway), 200);
};

export const searchModels: RouteHandler<typeof searchModelsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const gateway = resolveGateway(query.gateway);
  const { models } = await snapshotOf(c);
  const matches = searchCatalog(models, {
    gateway,
    developer: query.provider,
    text: query.q,
    modality: query.modality,
    capability: query.capability,
    maxPromptPricePerMillion: query.max_price,
    minContextLength: query.min_context,
  });
  return c.json(modelList(paginate(matches, query.offset, query.limit), gateway), 200);
};

/** Name and developer of a logged model, when the catalog still lists it. */
function describe(snapshot: CatalogSnapshot, gateway: string, providerModelId: string) {
  const entry = snapshot.models.find((model) => model.gateway === gateway && model.providerModelId === providerModelId);
  return { name: entry?.name ?? providerModelId, provider: entry?.developer ?? null };
}

export const trending: RouteHandler<typeof trendingModelsRoute, AppEnv> = async (c) => {
  const { hours, limit } = c.req.valid("query");
  const [ranks, snapshot] = await Promise.all([trendingModels(c.var.db(), hours, limit), snapshotOf(c)]);
  const data = ranks.map((rank, index) => ({
    rank: index + 1,
    id: `${rank.gateway}/${rank.providerModelId}`,
    gateway: rank.gateway,
    provider_model_id: rank.providerModelId,
    ...describe(snapshot, rank.gateway, rank.providerModelId),
    requests: rank.requests,
    unique_users: rank.uniqueUsers,
    total_tokens: rank.totalTokens,
  }));
  return c.json({ data, window_hours: hours, timestamp: new Date().toISOString() }, 200);
};

export const lowLatency: RouteHandler<typeof lowLatencyModelsRoute, AppEnv> = async (c) => {
  const { hours, limit, min_requests } = c.req.valid("query");
  const [rows, snapshot] = await Promise.all([lowLatencyModels(c.var.db(), hours, min_requests, limit), snapshotOf(c)]);
  const data = rows.map((row, index) => ({
    rank: index + 1,
    id: `${row.gateway}/${row.providerModelId}`,
    gateway: row.gateway,
    provider_model_id: row.providerModelId,
    ...describe(snapshot, row.gateway, row.providerModelId),
    requests: row.requests,
    median_time_to_first_token_ms: row.medianTimeToFirstTokenMs,
    median_latency_ms: row.medianLatencyMs,
    p90_latency_ms: row.p90LatencyMs,
  }));
  return c.json({ data, window_hours: hours, min_requests, timestamp: new Date().toISOString() }, 200);
};

export async function getModel(c: Context<AppEnv>) {
  // Hono has already percent-decoded the parameter.
  const id = c.req.param("id") ?? "";
  const { models } = await snapshotOf(c);
  const model = findModel(models, id);
  if (!model) throw notFound(`Model '${id}' is not in the catalog`, "model_not_found");
  return c.json(presentModel(model), 200);
}

export const listProviders: RouteHandler<typeof listProvidersRoute, AppEnv> = async (c) => {
  const snapshot = await snapshotOf(c);
  const counts = new Map<string, number>();
  for (const model of snapshot.models) counts.set(model.gateway, (counts.get(model.gateway) ?? 0) + 1);
  const rows = new Map(snapshot.providers.map((row) => [row.slug, row]));
  const all = syncableProviders(c.var.config.ENVIRONMENT);
  const configured = new Set(configuredProviders(c.env, c.var.config, all));
  const data = all.map((id) => {
    const adapter: ProviderAdapter = providers[id];
    const row = rows.get(id);
    return {
      slug: id,
      name: adapter.displayName,
      configured: configured.has(id),
      is_active: row?.isActive ?? true,
      health: row?.health ?? "unknown",
      models: counts.get(id) ?? 0,
      last_synced_at: row?.lastSyncedAt?.toISOString() ?? null,
    };
  });
  return c.json({ data, total: data.length, timestamp: new Date().toISOString() }, 200);
};

export const gatewaySummary: RouteHandler<typeof gatewaySummaryRoute, AppEnv> = async (c) => {
  const [snapshot, stored] = await Promise.all([snapshotOf(c), catalogCountsByProvider(c.var.db())]);
  const counts = gatewayCounts(snapshot.models);
  const live = new Map(counts.gateways.map((row) => [row.gateway, row]));
  const rows = new Map(snapshot.providers.map((row) => [row.slug, row]));
  const gateways = stored
    .map((row) => {
      const current = live.get(row.slug) ?? { total: 0, unique: 0, duplicates: 0 };
      return {
        gateway: row.slug,
        name: rows.get(row.slug)?.name ?? row.slug,
        total: current.total,
        unique: current.unique,
        duplicates: current.duplicates,
        inactive: row.inactive,
        last_synced_at: rows.get(row.slug)?.lastSyncedAt?.toISOString() ?? null,
        status: current.total > 0 ? ("ok" as const) : ("empty" as const),
      };
    })
    .sort((a, b) => b.total - a.total || a.gateway.localeCompare(b.gateway));
  const { total, unique, duplicates } = counts.all;
  return c.json({ gateways, all: { total, unique, duplicates }, timestamp: new Date().toISOString() }, 200);
};
