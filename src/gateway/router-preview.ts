// POST /code-router/test, Hono-free: the decision a router would make for a prompt, without calling
// a model. "Routable" here means the candidate resolves to a configured provider (the pipeline also
// skips open breakers and models the key may not use). The savings estimate compares catalog prices
// for 1,000 input + 500 output tokens (seed 001 L7586-7604) with the baselines'.
import type { AnyDatabase } from "../db/client";
import { type ListedPrices, listedPricesOf, type RouterTierRow } from "../db/router-tiers";
import { ApiError } from "../lib/errors";
import { usdNumber } from "../lib/money";
import { costOf, parsePrice } from "./pricing";
import { type ResolveDeps, type ResolvedModel, resolveModel } from "./resolve-model";
import { type Classification, type ClassifierInput, classifyPrompt } from "./router-classifier";
import { decideRoute, type RouteDecision, type RouterModel } from "./router-decision";

/** What a routed model's price is compared with. */
export const savingsBaselines = ["openai/gpt-4o", "anthropic/claude-3.5-sonnet"] as const;
export const savingsBasis = { inputTokens: 1000, outputTokens: 500 } as const;

export interface PreviewCandidate {
  model: string;
  tier: number;
  /** Null: not served by any configured provider. */
  resolved: ResolvedModel | null;
}

export interface RoutePreview {
  classification: Classification;
  decision: RouteDecision;
  candidates: PreviewCandidate[];
  chosen: PreviewCandidate | undefined;
  tierName: string | undefined;
  prices: Map<string, ListedPrices>;
  latencyMs: number;
}

export async function previewRoute(
  router: RouterModel,
  input: ClassifierInput,
  tiers: RouterTierRow[],
  deps: ResolveDeps,
  db: AnyDatabase,
): Promise<RoutePreview> {
  const started = performance.now();
  const classification = classifyPrompt(input);
  const decision = decideRoute(router, classification, (table) => tiers.filter((row) => row.router === table));
  const candidates: PreviewCandidate[] = [];
  for (const candidate of decision.candidates) {
    let resolved: ResolvedModel | null = null;
    try {
      resolved = await resolveModel({ model: candidate.model }, deps);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    candidates.push({ ...candidate, resolved });
  }
  const chosen = candidates.find((candidate) => candidate.resolved !== null);
  // The decision's own time (classification and resolution), not the price lookup after it.
  const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
  const prices = await listedPricesOf(db, [...(chosen ? [chosen.model] : []), ...savingsBaselines]);
  const tierName = tiers.find((row) => row.router === decision.table && row.tier === chosen?.tier)?.name;
  return { classification, decision, candidates, chosen, tierName, prices, latencyMs };
}

/** USD for the savings basis at listed prices; null when the catalog has no price. */
export function basisCostUsd(prices: ListedPrices | undefined): number | null {
  if (!prices || (prices.prompt === null && prices.completion === null)) return null;
  const cost = costOf(
    {
      promptTokens: savingsBasis.inputTokens,
      completionTokens: savingsBasis.outputTokens,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    {
      prompt: parsePrice(prices.prompt),
      completion: parsePrice(prices.completion),
      cacheRead: null,
      cacheWrite: null,
      request: null,
    },
  );
  return usdNumber(cost.nanos);
}

/** USD per million tokens from a per-token catalog price (femto-dollars per token = nano-dollars per million). */
export function perMillion(price: string | null | undefined): number | null {
  const femtos = price === null || price === undefined ? null : parsePrice(price);
  return femtos === null ? null : usdNumber(femtos);
}
