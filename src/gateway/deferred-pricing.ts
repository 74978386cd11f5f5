// A request whose price lookup failed (Postgres briefly unreachable) must not become free: its record
// is marked `needsPricing` and priced from the catalog by whoever applies it, the direct settlement or
// the outbox alarm, just before the settlement statement.
import type { AnyDatabase } from "../db/client";
import type { InferenceRecord } from "../db/inference";
import { findCatalogPrices } from "../db/models";
import { formatUsd } from "../lib/money";
import { costOf, parsePrice } from "./pricing";

export async function priceIfNeeded(db: AnyDatabase, record: InferenceRecord): Promise<InferenceRecord> {
  if (!record.needsPricing || record.provider === null || record.upstreamModel === null) return record;
  const row = await findCatalogPrices(db, record.provider, record.upstreamModel);
  const cost = costOf(
    {
      promptTokens: record.promptTokens,
      completionTokens: record.completionTokens,
      cachedTokens: record.cachedTokens,
      cacheWriteTokens: record.cacheWriteTokens,
      reasoningTokens: record.reasoningTokens,
    },
    row
      ? {
          prompt: parsePrice(row.prompt),
          completion: parsePrice(row.completion),
          cacheRead: parsePrice(row.cacheRead),
          cacheWrite: parsePrice(row.cacheWrite),
          request: parsePrice(row.request),
        }
      : undefined,
  );
  return {
    ...record,
    needsPricing: false,
    modelId: row?.modelId ?? null,
    cost: formatUsd(cost.nanos),
    priced: cost.priced,
  };
}
