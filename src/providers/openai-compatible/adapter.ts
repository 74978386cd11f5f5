// One adapter for every vendor that speaks OpenAI chat completions; vendors differ only by config.
import { usageFromOpenAi } from "../../gateway/usage";
import { isRecord } from "../../lib/json";
import type { ChatCompletion, ChatCompletionChunk } from "../openai-types";
import { retryAfterSeconds } from "../retry-after";
import { parseEventJson } from "../stream-json";
import type { ProviderAdapter, StreamPart, UpstreamError } from "../types";
import { parseOpenAiModelList } from "./models";
import { openAiEmbeddings, openAiImages } from "./non-chat";
import type { OpenAiCompatibleVendor } from "./vendors";

/** Groq repeats usage under `x_groq.usage`; everyone else uses `usage`. */
function usageOf(body: Record<string, unknown>): unknown {
  if (isRecord(body.usage)) return body.usage;
  return isRecord(body.x_groq) ? body.x_groq.usage : undefined;
}

/** Reads `{"error": {...}}`, `{"message": ...}` or `{"detail": ...}` bodies, or plain text. */
export function readOpenAiStyleError(status: number, bodyText: string, headers: Headers): UpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const root = isRecord(parsed) ? parsed : {};
  const error = isRecord(root.error) ? root.error : root;
  const message =
    (typeof error.message === "string" && error.message) ||
    (typeof root.detail === "string" && root.detail) ||
    (typeof root.error === "string" && root.error) ||
    bodyText.slice(0, 500) ||
    `HTTP ${status}`;
  const code = typeof error.code === "string" ? error.code : typeof error.type === "string" ? error.type : null;
  return {
    status,
    message,
    code,
    param: typeof error.param === "string" ? error.param : null,
    retryAfterSeconds: retryAfterSeconds(headers),
  };
}

export function createOpenAiCompatibleAdapter(id: string, vendor: OpenAiCompatibleVendor): ProviderAdapter {
  return {
    id,
    displayName: vendor.displayName,
    defaultBaseUrl: vendor.defaultBaseUrl,
    developmentOnly: vendor.developmentOnly,

    buildRequest(request, settings) {
      const body: Record<string, unknown> = { ...request };
      if (request.stream && vendor.streamUsage === "include_usage") {
        body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
      } else if (vendor.streamUsage === "always") {
        delete body.stream_options;
      }
      return {
        url: `${settings.baseUrl.replace(/\/+$/, "")}/chat/completions`,
        method: "POST",
        headers: {
          authorization: `Bearer ${settings.apiKey}`,
          "content-type": "application/json",
          accept: request.stream ? "text/event-stream" : "application/json",
          ...vendor.headers,
        },
        body: JSON.stringify(body),
      };
    },

    parseCompletion(body) {
      if (!isRecord(body) || !Array.isArray(body.choices)) {
        throw new TypeError("upstream response is not a chat completion (no choices array)");
      }
      return { completion: body as ChatCompletion, usage: usageFromOpenAi(usageOf(body)) };
    },

    createStreamTransformer() {
      return {
        transform(event): StreamPart[] {
          if (event.data === "[DONE]") return [{ type: "done" }];
          const parsed = parseEventJson(event);
          if ("error" in parsed) return [parsed.error];
          const payload = parsed.payload;
          if (!isRecord(payload)) return [];
          // Mid-stream failures arrive as `{"error": {...}}` (Groq also names the event "error").
          if (isRecord(payload.error) || event.event === "error") {
            const status =
              isRecord(payload.error) && typeof payload.error.status_code === "number"
                ? payload.error.status_code
                : 502;
            return [{ type: "error", error: readOpenAiStyleError(status, event.data, new Headers()) }];
          }
          const parts: StreamPart[] = [];
          const usage = usageFromOpenAi(usageOf(payload));
          if (usage) parts.push({ type: "usage", usage });
          const chunk = payload as ChatCompletionChunk;
          const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
          parts.push({ type: "chunk", chunk, usageOnly: usage !== undefined && choices.length === 0, raw: event.data });
          return parts;
        },
      };
    },

    parseError: readOpenAiStyleError,

    // A vendor whose list lives elsewhere (Hugging Face's Hub) brings its own request and reader.
    buildModelListRequest:
      vendor.modelList?.build ??
      ((settings) => ({
        url: `${settings.baseUrl.replace(/\/+$/, "")}/models`,
        method: "GET",
        headers: { authorization: `Bearer ${settings.apiKey}`, accept: "application/json", ...vendor.headers },
      })),

    parseModelList(body, headers) {
      const page = (vendor.modelList?.parse ?? parseOpenAiModelList)(body, headers);
      const developer = vendor.developer;
      if (!developer) return page;
      const models = page.models.map((model) => (model.id.includes("/") ? model : { ...model, developer }));
      return { ...page, models };
    },
    modelsDevId: vendor.modelsDevId,
    embeddings: vendor.embeddings ? openAiEmbeddings(vendor.headers) : undefined,
    images: vendor.images ? openAiImages(vendor.headers) : undefined,
  };
}
