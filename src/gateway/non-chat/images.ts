// POST /v1/images/generations, Hono-free: on any provider whose adapter generates images (OpenAI's
// images endpoint at OpenAI, xAI, Together, DeepInfra, Nebius, Vercel AI Gateway), priced per image
// from the catalog (`price_image` × the images returned, plus any per-request price) and logged like a
// chat request (endpoint "images"). The price is read before the call: an image request is never
// settled as free because the catalog was briefly unreadable (it is refused with 503 instead).

import { badRequest } from "../../lib/errors";
import { type Nanos, usdNumber } from "../../lib/money";
import type { GeneratedImage, ImagesCapability, ImagesRequest } from "../../providers/types";
import type { InferenceContext } from "../context";
import type { Cost } from "../pricing";
import type { ResolvedModel } from "../resolve-model";
import { noUsage, settleLater } from "../settle";
import type { ModelTraits } from "./catalog-traits";
import { type CatalogView, runNonChat } from "./dispatch";

/** The client's body: OpenAI's fields plus the gateway's routing fields (never sent upstream). */
export interface ImagesBody extends ImagesRequest {
  models?: string[];
  provider?: unknown;
  stream?: boolean;
}

export interface ImagesResponse {
  created: number;
  data: GeneratedImage[];
  usage: { images: number; cost: number; input_tokens?: number; output_tokens?: number; total_tokens?: number };
  [key: string]: unknown;
}

const FEMTOS_PER_NANO = 1_000_000n;

/** Images × the catalog's per-image price (+ its per-request price), rounded half-up to the nano-dollar. */
export function imageCost(images: number, traits: ModelTraits | null): Cost {
  if (!traits || traits.imagePrice === null) return { nanos: 0n, priced: false };
  const femtos = BigInt(images) * traits.imagePrice + (traits.prices.request ?? 0n);
  const nanos: Nanos = (femtos + FEMTOS_PER_NANO / 2n) / FEMTOS_PER_NANO;
  return { nanos, priced: true };
}

function capabilityOf(resolved: ResolvedModel): ImagesCapability {
  const capability = resolved.adapter.images;
  if (!capability) throw new TypeError(`provider ${resolved.providerId} has no images capability`);
  return capability;
}

/** The catalog knows what the model outputs, and it is not images (a chat or embedding model). */
function notAnImageModel(catalog: CatalogView): string | undefined {
  if (catalog === null || catalog === "unavailable") return undefined;
  const outputs = catalog.outputModalities;
  return outputs.length > 0 && !outputs.includes("image") ? outputs.join("+") : undefined;
}

export async function createImages(body: ImagesBody, ctx: InferenceContext): Promise<ImagesResponse> {
  if (body.stream === true) {
    throw badRequest("Streamed image generation is not supported: omit `stream`", "unsupported_parameter", "stream");
  }
  const { models, provider, stream: _stream, ...forwarded } = body;
  const answer = await runNonChat(
    {
      endpoint: "images",
      model: body.model,
      fallbackModels: models ?? [],
      providerField: provider,
      catalogRequired: true,
      unsupported(resolved, catalog) {
        if (!resolved.adapter.images) {
          return `Provider '${resolved.providerId}' does not generate images (model '${body.model}')`;
        }
        const outputs = notAnImageModel(catalog);
        if (outputs) {
          return `Model '${resolved.providerId}/${resolved.upstreamModel}' is not an image generation model: the catalog lists it as generating ${outputs}`;
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
  const traits = answer.catalog === "unavailable" ? null : answer.catalog;
  const count = parsed.images.length;
  const cost = imageCost(count, traits);
  const usage = parsed.usage ?? noUsage;
  settleLater(ctx, {
    requestedModel: body.model,
    provider: resolved.providerId,
    upstreamModel: resolved.upstreamModel,
    endpoint: "images",
    stream: false,
    startedAt,
    status: "completed",
    httpStatus: 200,
    usage,
    usageEstimated: false,
    catalog: { modelId: traits?.modelId ?? null, prices: undefined },
    cost,
    firstTokenAt: null,
    finishReason: null,
    errorMessage: null,
    attempts: failures,
  });
  const tokens = parsed.usage
    ? {
        input_tokens: usage.promptTokens,
        output_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
      }
    : {};
  return {
    ...parsed.extra,
    created: parsed.created,
    data: parsed.images,
    usage: { ...tokens, images: count, cost: usdNumber(cost.nanos) },
  };
}
