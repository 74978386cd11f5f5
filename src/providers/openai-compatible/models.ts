// Model lists in OpenAI's shape (`{"data": [{"id": ...}]}`), with OpenRouter's richer fields
// (name, context length, architecture, per-token prices) read when present. One page: these
// vendors return the whole list at once.

import { isRecord } from "../../lib/json";
import type { ListedModel, ModelPage } from "../types";

const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);
const positive = (value: unknown) => (typeof value === "number" && value > 0 ? value : undefined);
const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
/** Prices are USD-per-token decimal strings; "-1" (OpenRouter's "varies") is no price. */
const price = (value: unknown) => (typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? value : undefined);

function listedModel(entry: Record<string, unknown>): ListedModel | undefined {
  const id = text(entry.id);
  if (!id) return undefined;
  const architecture = isRecord(entry.architecture) ? entry.architecture : {};
  const topProvider = isRecord(entry.top_provider) ? entry.top_provider : {};
  const pricing = isRecord(entry.pricing) ? entry.pricing : undefined;
  return {
    id,
    name: text(entry.name),
    description: text(entry.description),
    contextLength: positive(entry.context_length) ?? positive(topProvider.context_length),
    maxCompletionTokens: positive(topProvider.max_completion_tokens),
    inputModalities: strings(architecture.input_modalities),
    outputModalities: strings(architecture.output_modalities),
    supportedParameters: strings(entry.supported_parameters),
    huggingFaceId: text(entry.hugging_face_id),
    pricing: pricing && {
      prompt: price(pricing.prompt),
      completion: price(pricing.completion),
      cacheRead: price(pricing.input_cache_read),
      cacheWrite: price(pricing.input_cache_write),
      request: price(pricing.request),
      image: price(pricing.image),
    },
  };
}

export function parseOpenAiModelList(body: unknown): ModelPage {
  if (!isRecord(body) || !Array.isArray(body.data)) throw new TypeError("model list has no data array");
  const models = body.data.filter(isRecord).flatMap((entry) => listedModel(entry) ?? []);
  return { models };
}
