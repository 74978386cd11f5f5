// The catalog's public JSON shapes (OpenRouter-style fields on OpenAI's model object).
import type { CatalogListing } from "../../catalog/query";

export function presentModel(entry: CatalogListing) {
  return {
    id: `${entry.gateway}/${entry.providerModelId}`,
    object: "model" as const,
    created: Math.floor(entry.firstSeenAt.getTime() / 1000),
    owned_by: entry.developer ?? entry.gateway,
    name: entry.name,
    description: entry.description,
    provider_model_id: entry.providerModelId,
    gateway: entry.gateway,
    gateways: entry.gateways,
    provider: entry.developer,
    context_length: entry.contextLength,
    max_completion_tokens: entry.maxCompletionTokens,
    architecture: {
      modality: entry.modality,
      input_modalities: entry.inputModalities,
      output_modalities: entry.outputModalities,
    },
    pricing: {
      prompt: entry.pricing.prompt,
      completion: entry.pricing.completion,
      input_cache_read: entry.pricing.cacheRead,
      input_cache_write: entry.pricing.cacheWrite,
      request: entry.pricing.request,
      image: entry.pricing.image,
    },
    supported_parameters: entry.supportedParameters,
    supports_streaming: entry.supportsStreaming,
    supports_tools: entry.supportsTools,
    supports_vision: entry.supportsVision,
    hugging_face_id: entry.huggingFaceId,
  };
}
