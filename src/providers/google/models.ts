// Gemini's model list: `GET /v1beta/models?pageSize=&pageToken=`, paginated with nextPageToken.
// Models that can generate content are chat models; models that embed content are listed too, with
// output modality "embedding" (what /v1/embeddings serves). The rest (Imagen's `predict`, AQA) are left out.

import { isRecord } from "../../lib/json";
import type { ListedModel, ModelPage, ProviderSettings, UpstreamRequest } from "../types";

/** The Gemini API's largest page size. */
const pageSize = 1000;

export function buildGeminiModelListRequest(settings: ProviderSettings, cursor?: string): UpstreamRequest {
  const url = new URL(`${settings.baseUrl.replace(/\/+$/, "")}/models`);
  url.searchParams.set("pageSize", String(pageSize));
  if (cursor) url.searchParams.set("pageToken", cursor);
  return {
    url: url.toString(),
    method: "GET",
    headers: { "x-goog-api-key": settings.apiKey, accept: "application/json" },
  };
}

function listedModel(entry: Record<string, unknown>): ListedModel | undefined {
  const methods = Array.isArray(entry.supportedGenerationMethods) ? entry.supportedGenerationMethods : [];
  const embeds = !methods.includes("generateContent") && methods.includes("embedContent");
  if (typeof entry.name !== "string" || !(methods.includes("generateContent") || embeds)) return undefined;
  return {
    ...(embeds ? { inputModalities: ["text"], outputModalities: ["embedding"] } : {}),
    id: entry.name.replace(/^models\//, ""),
    name: typeof entry.displayName === "string" ? entry.displayName : undefined,
    description: typeof entry.description === "string" ? entry.description : undefined,
    contextLength: typeof entry.inputTokenLimit === "number" ? entry.inputTokenLimit : undefined,
    maxCompletionTokens: typeof entry.outputTokenLimit === "number" ? entry.outputTokenLimit : undefined,
    // The Gemini API serves only Google's models.
    developer: "google",
  };
}

/** One page; the cursor is in the body, so the headers are not needed. */
export function parseGeminiModelList(body: unknown, _headers?: Headers): ModelPage {
  if (!isRecord(body) || !Array.isArray(body.models)) throw new TypeError("Gemini model list has no models array");
  const models = body.models.filter(isRecord).flatMap((entry) => listedModel(entry) ?? []);
  const nextCursor =
    typeof body.nextPageToken === "string" && body.nextPageToken.length > 0 ? body.nextPageToken : undefined;
  return { models, nextCursor };
}
