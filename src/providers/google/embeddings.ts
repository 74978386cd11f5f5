// Gemini embeddings, translated to and from OpenAI's shape: every input becomes one request of
// `models/{model}:batchEmbedContents` (one call for one input or many), and `{embeddings: [{values}]}`
// comes back as one vector per input. The answer carries no token count: the gateway estimates it.
import { isRecord } from "../../lib/json";
import type { EmbeddingsCapability } from "../types";

function texts(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === "string")) return input;
  // The gateway refuses token ids before dispatch (acceptsTokenArrays: false); this is a safety net.
  throw new TypeError("Gemini embeddings take text input only");
}

function vectorOf(entry: unknown): number[] {
  const values = isRecord(entry) ? entry.values : undefined;
  if (!Array.isArray(values) || !values.every((value) => typeof value === "number")) {
    throw new TypeError("Gemini embedding has no values array");
  }
  return values;
}

export const geminiEmbeddings: EmbeddingsCapability = {
  acceptsTokenArrays: false,

  buildRequest(request, settings) {
    const model = request.model.replace(/^models\//, "");
    const dimensions = typeof request.dimensions === "number" ? { outputDimensionality: request.dimensions } : {};
    const requests = texts(request.input).map((text) => ({
      model: `models/${model}`,
      content: { parts: [{ text }] },
      ...dimensions,
    }));
    return {
      url: `${settings.baseUrl.replace(/\/+$/, "")}/models/${model}:batchEmbedContents`,
      method: "POST",
      headers: { "x-goog-api-key": settings.apiKey, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ requests }),
    };
  },

  parseResponse(body) {
    if (!isRecord(body)) throw new TypeError("Gemini embeddings response is not an object");
    // batchEmbedContents answers `embeddings: [...]`; embedContent (one input) answers `embedding: {...}`.
    if (Array.isArray(body.embeddings)) return { vectors: body.embeddings.map(vectorOf), promptTokens: undefined };
    if (isRecord(body.embedding)) return { vectors: [vectorOf(body.embedding)], promptTokens: undefined };
    throw new TypeError("Gemini embeddings response has no embeddings");
  },
};
