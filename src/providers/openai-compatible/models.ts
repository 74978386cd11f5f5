// Model lists in OpenAI's shape (`{"data": [{"id": ...}]}`), with the richer fields some vendors add
// read when present: OpenRouter's name, context length, architecture, supported parameters and
// per-token prices; Mistral's capabilities and max_context_length. One page: these vendors return
// the whole list at once.

import { isRecord } from "../../lib/json";
import type { ListedModel, ModelPage } from "../types";

const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);
const positive = (value: unknown) => (typeof value === "number" && value > 0 ? value : undefined);
const flag = (value: unknown) => (typeof value === "boolean" ? value : undefined);
const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
/** Prices are USD-per-token decimal strings; "-1" (OpenRouter's "varies") is no price. */
const price = (value: unknown) => (typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? value : undefined);

/**
 * Who made the model. An `org/model` id names its maker (OpenRouter's `anthropic/claude-...`,
 * Groq's `meta-llama/...`), which is more precise than `owned_by` (often the reseller). Ids with
 * more segments (Fireworks' `accounts/<account>/models/<name>`, Workers AI's `@cf/<org>/<name>`) do
 * not start with the maker, so they fall back to `owned_by`.
 */
export function developerOf(id: string, ownedBy: unknown): string | undefined {
  const segments = id.split("/");
  if (segments.length === 2 && segments[0]) return segments[0].toLowerCase();
  return text(ownedBy)?.toLowerCase();
}

/**
 * What a model outputs, so the catalog knows embedding and image models: the list's own modalities
 * (OpenRouter writes "embeddings"), Vercel's `type` ("embedding", "image"), else an id naming an
 * embedding model (`text-embedding-3-small`, `mistral-embed`), which lists without modalities
 * (OpenAI's, Mistral's) never say and models.dev calls "text".
 */
export function outputModalitiesOf(id: string, entry: Record<string, unknown>): string[] | undefined {
  const architecture = isRecord(entry.architecture) ? entry.architecture : {};
  const declared = strings(architecture.output_modalities)?.map((modality) =>
    modality === "embeddings" ? "embedding" : modality,
  );
  if (declared && declared.length > 0) return declared;
  if (entry.type === "embedding" || entry.type === "image") return [entry.type];
  return /embed/i.test(id) ? ["embedding"] : undefined;
}

function listedModel(entry: Record<string, unknown>): ListedModel | undefined {
  const id = text(entry.id);
  if (!id) return undefined;
  const architecture = isRecord(entry.architecture) ? entry.architecture : {};
  const topProvider = isRecord(entry.top_provider) ? entry.top_provider : {};
  // Mistral describes what a model can do as booleans under `capabilities`.
  const capabilities = isRecord(entry.capabilities) ? entry.capabilities : {};
  const pricing = isRecord(entry.pricing) ? entry.pricing : undefined;
  const inputModalities = strings(architecture.input_modalities);
  const supportedParameters = strings(entry.supported_parameters);
  return {
    id,
    name: text(entry.name),
    description: text(entry.description),
    contextLength:
      positive(entry.context_length) ?? positive(topProvider.context_length) ?? positive(entry.max_context_length),
    maxCompletionTokens: positive(topProvider.max_completion_tokens),
    inputModalities,
    outputModalities: outputModalitiesOf(id, entry),
    supportedParameters,
    huggingFaceId: text(entry.hugging_face_id),
    developer: developerOf(id, entry.owned_by),
    supportsTools: supportedParameters?.includes("tools") ?? flag(capabilities.function_calling),
    supportsVision: inputModalities?.includes("image") ?? flag(capabilities.vision),
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

/** The whole list in one page; the headers are not needed (no OpenAI-style list paginates). */
export function parseOpenAiModelList(body: unknown, _headers?: Headers): ModelPage {
  if (!isRecord(body) || !Array.isArray(body.data)) throw new TypeError("model list has no data array");
  const models = body.data.filter(isRecord).flatMap((entry) => listedModel(entry) ?? []);
  return { models };
}
