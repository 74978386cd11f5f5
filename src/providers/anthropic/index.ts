// The native Anthropic Messages API adapter (POST /v1/messages), not Anthropic's OpenAI-compatible
// endpoint: the native API reports cache writes and streams thinking, which the compat layer drops.
import { readOpenAiStyleError } from "../openai-compatible/adapter";
import type { ProviderAdapter, ProviderSettings, UpstreamError, UpstreamRequest } from "../types";
import { anthropicCountTokens } from "./count-tokens";
import { buildAnthropicModelListRequest, parseAnthropicModelList } from "./models";
import { toAnthropicRequest } from "./request";
import { isRecord, parseAnthropicCompletion } from "./response";
import { createAnthropicStreamTransformer } from "./stream";
import { anthropicVersion } from "./version";

export { anthropicVersion } from "./version";

/**
 * Reads `{"type":"error","error":{"type","message"}}` (code = error.type); other bodies, and the
 * Retry-After header, are read the OpenAI-style way (which falls back to the raw text).
 */
export function parseAnthropicError(status: number, bodyText: string, headers: Headers): UpstreamError {
  const base = readOpenAiStyleError(status, bodyText, headers);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return base;
  }
  if (!isRecord(parsed) || parsed.type !== "error" || !isRecord(parsed.error)) return base;
  const { type, message } = parsed.error;
  return {
    ...base,
    message: typeof message === "string" && message ? message : base.message,
    code: typeof type === "string" ? type : base.code,
  };
}

function messagesRequest(settings: ProviderSettings, stream: boolean, body: string): UpstreamRequest {
  return {
    url: `${settings.baseUrl.replace(/\/+$/, "")}/messages`,
    method: "POST",
    headers: {
      "x-api-key": settings.apiKey,
      "anthropic-version": anthropicVersion,
      "content-type": "application/json",
      accept: stream ? "text/event-stream" : "application/json",
    },
    body,
  };
}

export const anthropicAdapter: ProviderAdapter = {
  id: "anthropic",
  displayName: "Anthropic",
  defaultBaseUrl: "https://api.anthropic.com/v1",
  modelsDevId: "anthropic",

  buildRequest(request, settings) {
    return messagesRequest(settings, request.stream === true, JSON.stringify(toAnthropicRequest(request)));
  },

  parseCompletion: parseAnthropicCompletion,
  createStreamTransformer: createAnthropicStreamTransformer,
  parseError: parseAnthropicError,
  buildModelListRequest: buildAnthropicModelListRequest,
  parseModelList: parseAnthropicModelList,

  messagesApi: {
    buildRequest(body, upstreamModel, settings) {
      return messagesRequest(settings, body.stream === true, JSON.stringify({ ...body, model: upstreamModel }));
    },
  },
  countTokens: anthropicCountTokens,
};
