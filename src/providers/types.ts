// The provider contract. An adapter knows one upstream API: how to build its HTTP request from an
// OpenAI-shaped ChatRequest, how to read its response and stream events back into OpenAI shapes,
// and how to read its errors. It does no I/O itself: the gateway dispatches, so timeouts, retries
// and accounting live in one place.
import type { EventSourceMessage } from "eventsource-parser";
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from "./openai-types";

export interface ProviderSettings {
  apiKey: string;
  baseUrl: string;
  /** `<SLUG>_CATALOG_URL`: where the model list lives when it is not under `baseUrl` (Hugging Face's Hub). */
  catalogUrl?: string;
}

export interface UpstreamRequest {
  url: string;
  method: "POST" | "GET";
  headers: Record<string, string>;
  body?: string;
}

/** One model as a provider's model list describes it (fields the provider does not give are absent). */
export interface ListedModel {
  /** The id the provider's API takes. */
  id: string;
  name?: string;
  description?: string;
  contextLength?: number;
  maxCompletionTokens?: number;
  inputModalities?: string[];
  outputModalities?: string[];
  supportedParameters?: string[];
  huggingFaceId?: string;
  /** Who made the model (`anthropic`, `meta-llama`), when the list says or the id's namespace shows it. */
  developer?: string;
  supportsTools?: boolean;
  supportsVision?: boolean;
  /** USD per token as exact decimal strings, when the provider publishes prices. */
  pricing?: {
    prompt?: string;
    completion?: string;
    cacheRead?: string;
    cacheWrite?: string;
    request?: string;
    image?: string;
  };
}

/** One page of a model list; `nextCursor` is set while the provider says there are more. */
export interface ModelPage {
  models: ListedModel[];
  nextCursor?: string;
}

/** Token counts as the upstream reported them, normalised to OpenAI's meaning (cached ⊆ prompt). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens read from a cache (part of promptTokens). */
  cachedTokens: number;
  /** Prompt tokens written to a cache (part of promptTokens). */
  cacheWriteTokens: number;
  /** Completion tokens spent on reasoning (part of completionTokens). */
  reasoningTokens: number;
}

/** What a stream transformer makes of one upstream SSE event. */
export type StreamPart =
  /**
   * A chunk to forward. `usageOnly` marks the extra usage chunk the gateway asked for. `raw` is the
   * event's data as received when it already is this chunk in OpenAI's shape: forwarded as-is, never
   * re-serialised.
   */
  | { type: "chunk"; chunk: ChatCompletionChunk; usageOnly: boolean; raw?: string }
  | { type: "usage"; usage: TokenUsage }
  | { type: "error"; error: UpstreamError }
  /** The upstream said the stream is complete. */
  | { type: "done" };

export interface StreamTransformer {
  /** One parsed SSE event in, zero or more parts out. */
  transform(event: EventSourceMessage): StreamPart[];
}

/** A failure reported by the upstream, read from its error body. */
export interface UpstreamError {
  status: number;
  message: string;
  code: string | null;
  param: string | null;
  /** Seconds, from Retry-After or the body, when the upstream said when to retry. */
  retryAfterSeconds?: number;
}

export interface ParsedCompletion {
  completion: ChatCompletion;
  usage: TokenUsage | undefined;
}

/**
 * A provider that itself speaks Anthropic's Messages API: requests to the gateway's /v1/messages pass
 * through untranslated (keeping thinking signatures, cache_control, every block type). Its stream is
 * still read by the adapter's own stream transformer, for usage.
 */
export interface MessagesApiPassThrough {
  /** The client's body as sent, with `model` replaced by the upstream id. */
  buildRequest(body: Record<string, unknown>, upstreamModel: string, settings: ProviderSettings): UpstreamRequest;
}

// ---- Optional capabilities beyond chat (absent: the provider does not offer them) ----

/** OpenAI's embeddings input: text, texts, token ids, or lists of token ids. */
export type EmbeddingInput = string | string[] | number[] | number[][];

/** An embeddings request in OpenAI's shape, `model` already the upstream id. */
export interface EmbeddingsRequest {
  model: string;
  input: EmbeddingInput;
  encoding_format?: "float" | "base64";
  dimensions?: number;
  user?: string;
  [key: string]: unknown;
}

export interface ParsedEmbeddings {
  /**
   * One vector per input, in input order: floats, or a string of base64 little-endian float32 when
   * the upstream sent that (the gateway converts to what the client asked for).
   */
  vectors: (number[] | string)[];
  /** The model the upstream says it used, when it says. */
  model?: string;
  /** Input tokens as the upstream reported them; undefined when it reports none (Gemini). */
  promptTokens: number | undefined;
}

export interface EmbeddingsCapability {
  /** False when the API takes text only: token-id inputs are refused before anything is sent. */
  readonly acceptsTokenArrays: boolean;
  buildRequest(request: EmbeddingsRequest, settings: ProviderSettings): UpstreamRequest;
  parseResponse(body: unknown): ParsedEmbeddings;
}

/** An image generation request in OpenAI's shape, `model` already the upstream id. */
export interface ImagesRequest {
  model: string;
  prompt: string;
  n?: number;
  size?: string;
  quality?: string;
  response_format?: "url" | "b64_json";
  style?: string;
  user?: string;
  [key: string]: unknown;
}

/** One generated image in OpenAI's shape. */
export interface GeneratedImage {
  url?: string;
  b64_json?: string;
  revised_prompt?: string;
  [key: string]: unknown;
}

export interface ParsedImages {
  created: number;
  images: GeneratedImage[];
  /** Other top-level fields of OpenAI's answer (size, quality, output_format...), passed on as they are. */
  extra: Record<string, unknown>;
  /** Token usage when the upstream reports it (gpt-image models); images are priced per image regardless. */
  usage?: TokenUsage;
}

export interface ImagesCapability {
  buildRequest(request: ImagesRequest, settings: ProviderSettings): UpstreamRequest;
  parseResponse(body: unknown): ParsedImages;
}

/** Counting a Messages request's input tokens with the provider's own tokenizer. */
export interface CountTokensCapability {
  /** `body` is an Anthropic Messages request as the client sent it; `model` is replaced by the upstream id. */
  buildRequest(body: Record<string, unknown>, upstreamModel: string, settings: ProviderSettings): UpstreamRequest;
  /** The exact count; undefined when the body does not carry one. */
  parseResponse(body: unknown): number | undefined;
}

export interface ProviderAdapter {
  /** Slug used in model ids (`groq/llama-3.1-8b-instant`) and settings (`GROQ_API_KEY`, `GROQ_BASE_URL`). */
  readonly id: string;
  readonly displayName: string;
  readonly defaultBaseUrl: string;
  /** Only registered outside production (the dev/test stub). */
  readonly developmentOnly?: boolean;
  buildRequest(request: ChatRequest, settings: ProviderSettings): UpstreamRequest;
  parseCompletion(body: unknown): ParsedCompletion;
  createStreamTransformer(request: ChatRequest): StreamTransformer;
  parseError(status: number, bodyText: string, headers: Headers): UpstreamError;
  /** The request for one page of the provider's model list (`cursor` from the previous page). */
  buildModelListRequest(settings: ProviderSettings, cursor?: string): UpstreamRequest;
  /** One page of the model list; `headers` for providers that paginate with a `Link` header. */
  parseModelList(body: unknown, headers: Headers): ModelPage;
  /**
   * The provider's key in the models.dev community catalog (its prices and limits fill what the
   * provider's own list leaves out); absent when models.dev does not list the provider.
   */
  readonly modelsDevId?: string;
  /** Set when the provider speaks Anthropic's Messages API natively. */
  readonly messagesApi?: MessagesApiPassThrough;
  /** Set when the provider serves embeddings (POST /v1/embeddings). */
  readonly embeddings?: EmbeddingsCapability;
  /** Set when the provider generates images (POST /v1/images/generations). */
  readonly images?: ImagesCapability;
  /** Set when the provider counts Messages tokens exactly (POST /v1/messages/count_tokens). */
  readonly countTokens?: CountTokensCapability;
}
