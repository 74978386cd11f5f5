// Cost of a request from its token usage and the catalog's per-token prices, in exact integers.
// Prices are femto-dollars (10^-15 USD) per token; the cost is rounded half-up to nano-dollars.

import { parseDecimal } from "../lib/money";
import type { TokenUsage } from "../providers/types";

export type Femtos = bigint;

export interface ModelPrices {
  prompt: Femtos | null;
  completion: Femtos | null;
  /** Unset means cache reads cost the prompt price. */
  cacheRead: Femtos | null;
  /** Unset means cache writes cost the prompt price. */
  cacheWrite: Femtos | null;
  request: Femtos | null;
}

const FEMTOS_PER_NANO = 1_000_000n;

export function parsePrice(value: string | null): Femtos | null {
  return value === null ? null : parseDecimal(value, 15);
}

export interface Cost {
  nanos: bigint;
  /** False when the model has no price in the catalog: the request is not charged for tokens. */
  priced: boolean;
}

/**
 * The rule for a model without a catalog price (no prompt and no completion price): it costs
 * nothing, and the request log row says `priced = false` so the gap is visible, never silent.
 */
export function costOf(usage: TokenUsage, prices: ModelPrices | undefined): Cost {
  if (!prices || (prices.prompt === null && prices.completion === null)) return { nanos: 0n, priced: false };
  const prompt = prices.prompt ?? 0n;
  const uncached = BigInt(Math.max(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens));
  const femtos =
    uncached * prompt +
    BigInt(usage.cachedTokens) * (prices.cacheRead ?? prompt) +
    BigInt(usage.cacheWriteTokens) * (prices.cacheWrite ?? prompt) +
    BigInt(usage.completionTokens) * (prices.completion ?? 0n) +
    (prices.request ?? 0n);
  return { nanos: (femtos + FEMTOS_PER_NANO / 2n) / FEMTOS_PER_NANO, priced: true };
}
