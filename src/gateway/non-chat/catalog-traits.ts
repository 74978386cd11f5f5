// A catalog model's traits (outputs, prices) for the non-chat endpoints, remembered per isolate for a
// minute like the chat path's prices, so a warm request asks Postgres nothing before the upstream call.
// A catalog sync reaches other isolates' copies within that minute, as it does the chat prices.
import { type CatalogModelTraits, findCatalogModelTraits } from "../../db/model-traits";
import { TtlCache } from "../../lib/ttl-cache";
import type { InferenceContext } from "../context";
import { type Femtos, type ModelPrices, parsePrice } from "../pricing";

export interface ModelTraits {
  modelId: number;
  outputModalities: string[];
  prices: ModelPrices;
  /** USD per generated image, in femto-dollars; null when the catalog has no image price. */
  imagePrice: Femtos | null;
}

/** `null`: the catalog does not list the model (it may still exist upstream). */
const traitsCache = new TtlCache<ModelTraits | null>(5_000);
const ttlMs = 60_000;

function toTraits(row: CatalogModelTraits): ModelTraits {
  return {
    modelId: row.modelId,
    outputModalities: row.outputModalities,
    prices: {
      prompt: parsePrice(row.prompt),
      completion: parsePrice(row.completion),
      cacheRead: parsePrice(row.cacheRead),
      cacheWrite: parsePrice(row.cacheWrite),
      request: parsePrice(row.request),
    },
    imagePrice: parsePrice(row.image),
  };
}

/** Throws when the catalog cannot be read (the caller decides whether that may be ignored). */
export async function modelTraitsFor(
  ctx: InferenceContext,
  provider: string,
  upstreamModel: string,
): Promise<ModelTraits | null> {
  const key = `${provider}\n${upstreamModel}`;
  const cached = traitsCache.get(key);
  if (cached !== undefined) return cached;
  const row = await findCatalogModelTraits(ctx.sql(), provider, upstreamModel);
  const traits = row ? toTraits(row) : null;
  traitsCache.set(key, traits, ttlMs);
  return traits;
}

/** Forgets every remembered model (tests that change the catalog directly). */
export function clearModelTraits(): void {
  traitsCache.clear();
}
