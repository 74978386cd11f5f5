// The native Google Gemini adapter (Gemini API, v1beta generateContent / streamGenerateContent).
import type { ProviderAdapter } from "../types";
import { geminiEmbeddings } from "./embeddings";
import { buildGeminiModelListRequest, parseGeminiModelList } from "./models";
import { toGeminiRequest } from "./request";
import { readGoogleError, toChatCompletion } from "./response";
import { createGeminiStreamTransformer } from "./stream";

export const googleAdapter: ProviderAdapter = {
  id: "google",
  displayName: "Google Gemini",
  defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta",
  modelsDevId: "google",

  buildRequest(request, settings) {
    // Gemini's own model names carry a "models/" prefix; the path adds it back.
    const model = request.model.replace(/^models\//, "");
    const base = `${settings.baseUrl.replace(/\/+$/, "")}/models/${model}`;
    return {
      url: request.stream ? `${base}:streamGenerateContent?alt=sse` : `${base}:generateContent`,
      method: "POST",
      headers: {
        "x-goog-api-key": settings.apiKey,
        "content-type": "application/json",
        accept: request.stream ? "text/event-stream" : "application/json",
      },
      body: JSON.stringify(toGeminiRequest(request)),
    };
  },

  parseCompletion: toChatCompletion,
  createStreamTransformer: createGeminiStreamTransformer,
  parseError: readGoogleError,
  buildModelListRequest: buildGeminiModelListRequest,
  parseModelList: parseGeminiModelList,
  embeddings: geminiEmbeddings,
};
