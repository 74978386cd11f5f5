// POST /v1/embeddings, Hono-free: on any provider whose adapter serves embeddings (OpenAI-compatible
// vendors as they are, Gemini translated), billed per input token at the catalog's prompt price and
// logged like a chat request (endpoint "embeddings"). When the provider reports no token count
// (Gemini), it is estimated at 4 characters per token and the log row says usage_estimated.
import { usdNumber } from "../../lib/money";
import type { EmbeddingInput, EmbeddingsCapability, EmbeddingsRequest, TokenUsage } from "../../providers/types";
import type { InferenceContext } from "../context";
import { costOf } from "../pricing";
import type { ResolvedModel } from "../resolve-model";
import { type CatalogEntry, settleLater } from "../settle";
import { estimateTokens } from "../usage";
import { type CatalogView, runNonChat } from "./dispatch";
import { encodeVector } from "./vectors";

/** The client's body: OpenAI's fields plus the gateway's routing fields (never sent upstream). */
export interface EmbeddingsBody extends EmbeddingsRequest {
  models?: string[];
  provider?: unknown;
}

export interface EmbeddingsResponse {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number; cost: number };
}

const isTokenIds = (input: EmbeddingInput): boolean =>
  Array.isArray(input) && input.some((item) => typeof item === "number" || Array.isArray(item));

/** How many vectors the request asks for: one per string or per token-id list. */
function inputCount(input: EmbeddingInput): number {
  if (typeof input === "string") return 1;
  return input.every((item) => typeof item === "number") ? 1 : input.length;
}

/** Input tokens when the provider does not say: token ids are counted, text is estimated. */
function estimatedInputTokens(input: EmbeddingInput): number {
  if (typeof input === "string") return estimateTokens(input);
  let tokens = 0;
  for (const item of input) {
    if (typeof item === "number") tokens += 1;
    else if (typeof item === "string") tokens += estimateTokens(item);
    else tokens += item.length;
  }
  return tokens;
}

/**
 * Only on positive evidence, so an embedding model a source lists as "text" output is never refused:
 * the catalog lists it as an image model, or prices completion tokens (it generates text).
 */
function notAnEmbeddingModel(catalog: CatalogView): boolean {
  if (catalog === null || catalog === "unavailable") return false;
  if (catalog.outputModalities.includes("embedding")) return false;
  return catalog.outputModalities.includes("image") || (catalog.prices.completion ?? 0n) > 0n;
}

function capabilityOf(resolved: ResolvedModel): EmbeddingsCapability {
  const capability = resolved.adapter.embeddings;
  if (!capability) throw new TypeError(`provider ${resolved.providerId} has no embeddings capability`);
  return capability;
}

function catalogEntryOf(catalog: CatalogView): CatalogEntry {
  if (catalog === "unavailable") return { modelId: null, prices: undefined, lookupFailed: true };
  return catalog === null ? { modelId: null, prices: undefined } : { modelId: catalog.modelId, prices: catalog.prices };
}

export async function createEmbeddings(body: EmbeddingsBody, ctx: InferenceContext): Promise<EmbeddingsResponse> {
  const { models, provider, ...forwarded } = body;
  const tokenIds = isTokenIds(body.input);
  const answer = await runNonChat(
    {
      endpoint: "embeddings",
      model: body.model,
      fallbackModels: models ?? [],
      providerField: provider,
      catalogRequired: false,
      unsupported(resolved, catalog) {
        const capability = resolved.adapter.embeddings;
        const name = `${resolved.providerId}/${resolved.upstreamModel}`;
        if (!capability) return `Provider '${resolved.providerId}' does not offer embeddings (model '${body.model}')`;
        if (tokenIds && !capability.acceptsTokenArrays) {
          return `Provider '${resolved.providerId}' embeds text only: send \`input\` as a string or an array of strings`;
        }
        if (notAnEmbeddingModel(catalog)) {
          return `Model '${name}' is not an embedding model: the catalog lists it as generating ${
            catalog !== null && catalog !== "unavailable" && catalog.outputModalities.length > 0
              ? catalog.outputModalities.join("+")
              : "text"
          }`;
        }
        return undefined;
      },
      build: (resolved) =>
        capabilityOf(resolved).buildRequest({ ...forwarded, model: resolved.upstreamModel }, resolved.settings),
      parse: (resolved, json) => capabilityOf(resolved).parseResponse(json),
    },
    ctx,
  );
  const { resolved, parsed, failures, startedAt } = answer;
  if (parsed.vectors.length !== inputCount(body.input)) {
    console.warn(
      JSON.stringify({
        msg: "embeddings: vector count differs from input count",
        request_id: ctx.requestId,
        provider: resolved.providerId,
        inputs: inputCount(body.input),
        vectors: parsed.vectors.length,
      }),
    );
  }
  const promptTokens = parsed.promptTokens ?? estimatedInputTokens(body.input);
  const usage: TokenUsage = {
    promptTokens,
    completionTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
  const catalog = catalogEntryOf(answer.catalog);
  const cost = costOf(usage, catalog.prices);
  settleLater(ctx, {
    requestedModel: body.model,
    provider: resolved.providerId,
    upstreamModel: resolved.upstreamModel,
    endpoint: "embeddings",
    stream: false,
    startedAt,
    status: "completed",
    httpStatus: 200,
    usage,
    usageEstimated: parsed.promptTokens === undefined,
    catalog,
    cost,
    firstTokenAt: null,
    finishReason: null,
    errorMessage: null,
    attempts: failures,
  });
  const format = body.encoding_format === "base64" ? "base64" : "float";
  return {
    object: "list",
    data: parsed.vectors.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: encodeVector(vector, format),
    })),
    model: parsed.model ?? resolved.upstreamModel,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, cost: usdNumber(cost.nanos) },
  };
}
