import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AnyDatabase } from "../../db/client";
import { findProvidersOfModel } from "../../db/models";
import { routerStats as readRouterStats } from "../../db/router-stats";
import { type ListedPrices, listedPricesOf, type RouterTierRow, updateRouterTier } from "../../db/router-tiers";
import type { AppEnv } from "../../env";
import type { ResolveDeps } from "../../gateway/resolve-model";
import { cachedRouterTiers, clearRouterTierCache } from "../../gateway/router";
import { modeOf, routerModelId } from "../../gateway/router-decision";
import { basisCostUsd, perMillion, previewRoute, savingsBaselines, savingsBasis } from "../../gateway/router-preview";
import { notFound } from "../../lib/errors";
import { usdNumberOf } from "../../lib/money";
import type { listTiersRoute, routerStatsRoute, routeTestRoute, updateTierRoute } from "./code-router.routes";

const TIER_CACHE_TTL_SECONDS = 60;

function modelOf(id: string, prices: Map<string, ListedPrices>) {
  const slash = id.indexOf("/");
  const listed = prices.get(id);
  return {
    id,
    provider: slash > 0 ? id.slice(0, slash) : null,
    price_input_per_million: perMillion(listed?.prompt),
    price_output_per_million: perMillion(listed?.completion),
  };
}

async function presentTiers(db: AnyDatabase, tiers: RouterTierRow[]) {
  const prices = await listedPricesOf(db, [...new Set(tiers.flatMap((tier) => tier.models))]);
  return tiers.map((tier) => ({
    id: tier.id,
    router: tier.router,
    tier: tier.tier,
    name: tier.name,
    description: tier.description,
    models: tier.models.map((id) => modelOf(id, prices)),
    is_active: tier.isActive,
    updated_at: tier.updatedAt.toISOString(),
  }));
}

export const listTiers: RouteHandler<typeof listTiersRoute, AppEnv> = async (c) => {
  const { router } = c.req.valid("query");
  const tiers = (await cachedRouterTiers(c.var.sql())).filter((tier) => !router || tier.router === router);
  return c.json(
    {
      success: true as const,
      tiers: await presentTiers(c.var.sql(), tiers),
      baselines: [...savingsBaselines],
      cache_ttl_seconds: TIER_CACHE_TTL_SECONDS,
    },
    200,
  );
};

function editorOf(c: Context<AppEnv>): string {
  const auth = c.var.auth;
  return auth.kind === "user" ? `admin:${auth.user.id}` : "admin:bootstrap";
}

export const updateTier: RouteHandler<typeof updateTierRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const updated = await updateRouterTier(
    c.var.db(),
    id,
    { models: body.models, isActive: body.is_active, name: body.name, description: body.description },
    editorOf(c),
  );
  if (!updated) throw notFound(`No router tier with id ${id}`, "router_tier_not_found");
  clearRouterTierCache();
  const [presented] = await presentTiers(c.var.db(), [updated]);
  if (!presented) throw notFound(`No router tier with id ${id}`, "router_tier_not_found");
  return c.json(presented, 200);
};

export const routerStats: RouteHandler<typeof routerStatsRoute, AppEnv> = async (c) => {
  const { hours } = c.req.valid("query");
  const end = new Date();
  const start = new Date(end.getTime() - hours * 3_600_000);
  const [tiers, stats] = await Promise.all([cachedRouterTiers(c.var.sql()), readRouterStats(c.var.db(), start)]);
  const active = tiers.filter((tier) => tier.isActive);
  return c.json(
    {
      success: true as const,
      stats: {
        tiers_loaded: active.length,
        models_available: new Set(active.flatMap((tier) => tier.models)).size,
        baselines: [...savingsBaselines],
        window: { hours, start_time: start.toISOString(), end_time: end.toISOString() },
        routed_requests: stats.totals.requests,
        completed: stats.totals.completed,
        failed: stats.totals.failed,
        total_cost_usd: usdNumberOf(stats.totals.costUsd),
        average_confidence:
          stats.totals.averageConfidence === null ? null : Math.round(stats.totals.averageConfidence * 100) / 100,
        by_model: stats.byModel.map((row) => ({
          router_model: row.routerModel,
          provider: row.provider,
          model: row.upstreamModel,
          requests: row.requests,
          completed: row.completed,
          cost_usd: usdNumberOf(row.costUsd),
          prompt_tokens: row.promptTokens,
          completion_tokens: row.completionTokens,
          average_latency_ms: row.averageLatencyMs === null ? null : Math.round(row.averageLatencyMs),
        })),
        by_classification: stats.byClassification,
      },
    },
    200,
  );
};

export const routeTest: RouteHandler<typeof routeTestRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const mode = modeOf(body.mode) ?? "balanced";
  const router = { id: routerModelId(body.router, mode), router: body.router, mode };
  const deps: ResolveDeps = {
    env: c.env,
    environment: c.var.config.ENVIRONMENT,
    defaultProvider: c.var.config.DEFAULT_PROVIDER,
    catalogProvidersOf: (model) => findProvidersOfModel(c.var.sql(), model),
  };
  const preview = await previewRoute(
    router,
    { prompt: body.prompt, system: body.system, hasTools: body.has_tools },
    await cachedRouterTiers(c.var.sql()),
    deps,
    c.var.sql(),
  );
  const { classification, decision, chosen, prices } = preview;
  const modelCost = chosen ? basisCostUsd(prices.get(chosen.model)) : null;
  const baselines = savingsBaselines.map((model) => {
    const cost = basisCostUsd(prices.get(model));
    const savings = cost !== null && modelCost !== null ? Math.round((cost - modelCost) * 1e9) / 1e9 : null;
    return {
      model,
      cost_usd: cost,
      savings_usd: savings,
      savings_percent: savings !== null && cost ? Math.round((savings / cost) * 10_000) / 100 : null,
    };
  });
  return c.json(
    {
      model_id: chosen?.model ?? null,
      provider: chosen?.resolved?.providerId ?? null,
      tier: decision.tier,
      task_category: classification.category,
      complexity: classification.complexity,
      confidence: classification.confidence,
      default_tier: classification.defaultTier,
      min_tier: classification.minTier,
      mode: decision.mode,
      router_model: router.id,
      tier_table: decision.table,
      signals: classification.signals,
      candidates: preview.candidates.map((candidate) => ({
        model: candidate.model,
        tier: candidate.tier,
        routable: candidate.resolved !== null,
      })),
      routing_latency_ms: preview.latencyMs,
      savings_estimate: {
        basis: { input_tokens: savingsBasis.inputTokens, output_tokens: savingsBasis.outputTokens },
        model_cost_usd: modelCost,
        baselines,
      },
      model_info: chosen
        ? { ...modelOf(chosen.model, prices), tier: chosen.tier, tier_name: preview.tierName ?? null }
        : null,
    },
    200,
  );
};
