// OpenAI's embeddings and image generation endpoints (POST {base}/embeddings, {base}/images/generations),
// for the vendors whose configuration says they serve them. Requests go as the client sent them (model
// replaced); answers are already in OpenAI's shape and are only read for vectors, images and usage.
import { isRecord } from "../../lib/json";
import type {
  EmbeddingsCapability,
  GeneratedImage,
  ImagesCapability,
  ProviderSettings,
  TokenUsage,
  UpstreamRequest,
} from "../types";

function postJson(
  settings: ProviderSettings,
  path: string,
  body: unknown,
  headers: Record<string, string> | undefined,
): UpstreamRequest {
  return {
    url: `${settings.baseUrl.replace(/\/+$/, "")}${path}`,
    method: "POST",
    headers: {
      authorization: `Bearer ${settings.apiKey}`,
      "content-type": "application/json",
      accept: "application/json",
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;

export function openAiEmbeddings(headers?: Record<string, string>): EmbeddingsCapability {
  return {
    acceptsTokenArrays: true,
    buildRequest: (request, settings) => postJson(settings, "/embeddings", request, headers),
    parseResponse(body) {
      if (!isRecord(body) || !Array.isArray(body.data)) {
        throw new TypeError("upstream response is not an embeddings list (no data array)");
      }
      const entries = body.data.filter(isRecord);
      // `index` says which input a vector belongs to; vendors send them in order, but need not.
      const ordered = entries.every((entry) => typeof entry.index === "number")
        ? [...entries].sort((a, b) => Number(a.index) - Number(b.index))
        : entries;
      const vectors = ordered.map((entry) => {
        const { embedding } = entry;
        if (typeof embedding === "string") return embedding;
        if (Array.isArray(embedding) && embedding.every((value) => typeof value === "number")) return embedding;
        throw new TypeError("upstream embedding is neither a number array nor a base64 string");
      });
      const usage = isRecord(body.usage) ? body.usage : {};
      return {
        vectors,
        model: typeof body.model === "string" ? body.model : undefined,
        promptTokens: count(usage.prompt_tokens) ?? count(usage.total_tokens),
      };
    },
  };
}

/** gpt-image models report `usage: {input_tokens, output_tokens}`; dall-e and most vendors report none. */
function imageUsage(raw: unknown): TokenUsage | undefined {
  if (!isRecord(raw)) return undefined;
  const input = count(raw.input_tokens);
  const output = count(raw.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  return {
    promptTokens: input ?? 0,
    completionTokens: output ?? 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

export function openAiImages(headers?: Record<string, string>): ImagesCapability {
  return {
    buildRequest: (request, settings) => postJson(settings, "/images/generations", request, headers),
    parseResponse(body) {
      if (!isRecord(body) || !Array.isArray(body.data)) {
        throw new TypeError("upstream response is not an images response (no data array)");
      }
      const { created, data, usage, ...extra } = body;
      const images = data.filter(
        (entry): entry is GeneratedImage =>
          isRecord(entry) && (typeof entry.url === "string" || typeof entry.b64_json === "string"),
      );
      return {
        created: typeof created === "number" ? created : Math.floor(Date.now() / 1000),
        images,
        extra,
        usage: imageUsage(usage),
      };
    },
  };
}
