// After a request: price its usage and write the log row + charge (one idempotent statement), through
// the settlement outbox when Postgres is unreachable.
import type { InferenceRecord } from "../db/inference";
import { findCatalogPrices } from "../db/models";
import { formatUsd } from "../lib/money";
import { TtlCache } from "../lib/ttl-cache";
import type { TokenUsage } from "../providers/types";
import type { InferenceContext } from "./context";
import { noteSettledBalance } from "./credit-check";
import { settleDurably } from "./outbox";
import { type Cost, costOf, type ModelPrices, parsePrice } from "./pricing";
import { recordTokenUsage } from "./rate-limits";

export interface CatalogEntry {
  modelId: number | null;
  prices: ModelPrices | undefined;
  /** The lookup failed (database unreachable): the prices are unknown, not absent. */
  lookupFailed?: boolean;
}

/** Prices change only with a catalog sync: an isolate may reuse them for a minute. */
const priceCache = new TtlCache<CatalogEntry>(5_000);
const priceTtlMs = 60_000;

export function clearPriceCache(): void {
  priceCache.clear();
}

export async function catalogEntryFor(
  ctx: InferenceContext,
  provider: string,
  upstreamModel: string,
): Promise<CatalogEntry> {
  const key = `${provider}\n${upstreamModel}`;
  const cached = priceCache.get(key);
  if (cached) return cached;
  const row = await findCatalogPrices(ctx.sql(), provider, upstreamModel);
  const entry: CatalogEntry = row
    ? {
        modelId: row.modelId,
        prices: {
          prompt: parsePrice(row.prompt),
          completion: parsePrice(row.completion),
          cacheRead: parsePrice(row.cacheRead),
          cacheWrite: parsePrice(row.cacheWrite),
          request: parsePrice(row.request),
        },
      }
    : { modelId: null, prices: undefined };
  priceCache.set(key, entry, priceTtlMs);
  return entry;
}

export interface Outcome {
  requestedModel: string;
  provider: string | null;
  upstreamModel: string | null;
  endpoint: InferenceRecord["endpoint"];
  stream: boolean;
  status: "completed" | "failed";
  httpStatus: number;
  usage: TokenUsage;
  usageEstimated: boolean;
  catalog: CatalogEntry;
  cost: Cost;
  startedAt: number;
  firstTokenAt: number | null;
  finishReason: string | null;
  errorMessage: string | null;
  /** Failed attempts before this outcome (failover). */
  attempts?: { provider: string; model: string; status: number; reason: string }[];
  /** Served from the response cache: no tokens were spent upstream; the original's cost was saved. */
  cacheHit?: InferenceRecord["cacheHit"];
}

export const noUsage: TokenUsage = {
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
};

export function settleLater(ctx: InferenceContext, outcome: Outcome): void {
  const tokens = outcome.usage.promptTokens + outcome.usage.completionTokens;
  // Token rate limits count what was actually used, once it is known.
  const keyId = ctx.caller.apiKeyId;
  if (tokens > 0 && keyId !== null && !outcome.cacheHit) {
    ctx.defer(recordTokenUsage(ctx.config, keyId, tokens, ctx.sentry));
  }
  if (!outcome.cost.priced && outcome.status === "completed") {
    console.warn(
      JSON.stringify({
        msg: "unpriced model served without charge",
        request_id: ctx.requestId,
        provider: outcome.provider,
        model: outcome.upstreamModel,
      }),
    );
  }
  const userId = ctx.caller.userId;
  // One statement over HTTP: no connection to open for the request's only write.
  const settled = settleDurably(
    { env: ctx.env, db: ctx.sql, sentry: ctx.sentry },
    {
      requestId: ctx.requestId,
      userId: ctx.caller.userId,
      apiKeyId: ctx.caller.apiKeyId,
      requestedModel: outcome.requestedModel,
      provider: outcome.provider,
      upstreamModel: outcome.upstreamModel,
      modelId: outcome.catalog.modelId,
      endpoint: outcome.endpoint,
      stream: outcome.stream,
      status: outcome.status,
      httpStatus: outcome.httpStatus,
      promptTokens: outcome.usage.promptTokens,
      completionTokens: outcome.usage.completionTokens,
      cachedTokens: outcome.usage.cachedTokens,
      cacheWriteTokens: outcome.usage.cacheWriteTokens,
      reasoningTokens: outcome.usage.reasoningTokens,
      usageEstimated: outcome.usageEstimated,
      priced: outcome.cost.priced,
      cost: formatUsd(outcome.cost.nanos),
      latencyMs: Date.now() - outcome.startedAt,
      timeToFirstTokenMs: outcome.firstTokenAt === null ? null : outcome.firstTokenAt - outcome.startedAt,
      finishReason: outcome.finishReason,
      errorMessage: outcome.errorMessage,
      attempts: outcome.attempts ?? [],
      cacheHit: outcome.cacheHit,
      needsPricing: outcome.catalog.lookupFailed === true && outcome.status === "completed",
    },
  );
  ctx.defer(
    settled.then((result) => {
      const balanceAfter = result.outcome === "settled" ? result.settlement.balanceAfter : null;
      if (userId !== null && balanceAfter !== null) {
        noteSettledBalance(userId, balanceAfter, ctx.config.BALANCE_CACHE_TTL_SECONDS);
      }
      return result;
    }),
  );
}

export { costOf };
