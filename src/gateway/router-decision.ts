// Which tier and which candidate models a `router:*` model id gets for a classified prompt (pure).
//
// Ids: `router:<auto|general|code>[:<balanced|price|quality|agentic>]` (mode `auto` = balanced).
// Tier table: `router:code` uses the `code` tiers, `router:general` the `general` tiers, and
// `router:auto` the `code` tiers for code categories and the `general` tiers otherwise.
// Target tier by mode (seed 001 L7586-7604; 1 is premium, 4 budget): balanced → the classifier's
// default tier; price → one tier cheaper, never past the category's min tier; quality → one tier
// better; agentic → tier 1. Candidates: the target tier's models in order, then the better tiers
// (nearest first), then the cheaper ones down to the min tier; inactive tiers are skipped.
import { badRequest } from "../lib/errors";
import { type Classification, codeCategories } from "./router-classifier";

export const routerNames = ["auto", "general", "code"] as const;
export type RouterName = (typeof routerNames)[number];
export const routingModes = ["balanced", "price", "quality", "agentic"] as const;
export type RoutingMode = (typeof routingModes)[number];
export type TierTable = "code" | "general";

export interface RouterModel {
  /** The id as requested, e.g. `router:code:price`. */
  id: string;
  router: RouterName;
  mode: RoutingMode;
}

export interface TierModels {
  tier: number;
  models: string[];
  isActive: boolean;
}

export interface RouteDecision {
  table: TierTable;
  mode: RoutingMode;
  /** The tier the mode asked for. */
  tier: number;
  /** Every candidate in order of preference, with the tier it comes from. */
  candidates: { model: string; tier: number }[];
}

export const isRouterModel = (model: string): boolean => model.startsWith("router:");

const isRouterName = (value: string | undefined): value is RouterName => routerNames.some((name) => name === value);

/** Balanced mode's name in the seed's /code-router/test. */
export function modeOf(value: string): RoutingMode | undefined {
  if (value === "auto") return "balanced";
  return routingModes.find((mode) => mode === value);
}

/** The router a model id names; undefined for an ordinary model; 400 for an unknown `router:` id. */
export function parseRouterModel(model: string): RouterModel | undefined {
  if (!isRouterModel(model)) return undefined;
  const [, router, modeText = "balanced", ...rest] = model.split(":");
  const mode = modeOf(modeText);
  if (!isRouterName(router) || !mode || rest.length > 0) {
    throw badRequest(
      `Unknown model router '${model}': use router:auto, router:general or router:code, optionally followed by :balanced, :price, :quality or :agentic`,
      "unknown_router",
      "model",
    );
  }
  return { id: model, router, mode };
}

/** The id a router and mode are requested with (balanced is the bare router id, as in the seed). */
export function routerModelId(router: RouterName, mode: RoutingMode): string {
  return mode === "balanced" ? `router:${router}` : `router:${router}:${mode}`;
}

export function tierTableFor(router: RouterName, classification: Classification): TierTable {
  if (router === "auto") return codeCategories.has(classification.category) ? "code" : "general";
  return router;
}

export function targetTier(classification: Classification, mode: RoutingMode): number {
  const { defaultTier, minTier } = classification;
  if (mode === "agentic") return 1;
  if (mode === "quality") return Math.max(1, defaultTier - 1);
  if (mode === "price") return Math.min(defaultTier + 1, minTier);
  return defaultTier;
}

/** Tiers to draw candidates from, in order: the target, better tiers, then cheaper ones down to minTier. */
export function tierOrder(target: number, minTier: number): number[] {
  const order = [target];
  for (let tier = target - 1; tier >= 1; tier--) order.push(tier);
  for (let tier = target + 1; tier <= Math.max(minTier, target); tier++) order.push(tier);
  return order;
}

export function decideRoute(
  router: RouterModel,
  classification: Classification,
  tiersOf: (table: TierTable) => TierModels[],
): RouteDecision {
  const table = tierTableFor(router.router, classification);
  const tier = targetTier(classification, router.mode);
  const tiers = tiersOf(table);
  const seen = new Set<string>();
  const candidates: RouteDecision["candidates"] = [];
  for (const number of tierOrder(tier, classification.minTier)) {
    const row = tiers.find((entry) => entry.tier === number && entry.isActive);
    for (const model of row?.models ?? []) {
      if (seen.has(model)) continue;
      seen.add(model);
      candidates.push({ model, tier: number });
    }
  }
  return { table, mode: router.mode, tier, candidates };
}
