// Reading Gemini bodies back into OpenAI shapes: a generateContent response becomes a chat completion
// with normalised token usage, and Google's error body becomes an UpstreamError.
import type { ChatCompletion, OpenAiMessage, OpenAiToolCall, OpenAiUsage } from "../openai-types";
import { retryAfterSeconds } from "../retry-after";
import type { ParsedCompletion, TokenUsage, UpstreamError } from "../types";
import { type GeminiGenerateContentResponse, type GeminiPart, type GoogleToolCallExtra, isRecord } from "./wire-types";

const count = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;

/**
 * Gemini counts thoughts apart from candidates; OpenAI counts reasoning inside completion tokens.
 * Cached tokens are already part of promptTokenCount. Undefined when nothing was counted.
 */
export function usageFromGemini(metadata: unknown): TokenUsage | undefined {
  if (!isRecord(metadata)) return undefined;
  if (typeof metadata.promptTokenCount !== "number" && typeof metadata.candidatesTokenCount !== "number") {
    return undefined;
  }
  const thoughts = count(metadata.thoughtsTokenCount);
  return {
    promptTokens: count(metadata.promptTokenCount),
    completionTokens: count(metadata.candidatesTokenCount) + thoughts,
    cachedTokens: count(metadata.cachedContentTokenCount),
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

/** The usage object of an OpenAI response or usage chunk (the gateway adds the cost). */
export function openAiUsageOf(usage: TokenUsage): OpenAiUsage {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

const contentFilterReasons = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
]);

/** Gemini ends a function-calling turn with plain STOP; OpenAI clients look for "tool_calls". */
export function finishReasonFromGemini(reason: string, calledFunctions: boolean): string {
  if (reason === "MAX_TOKENS") return "length";
  if (contentFilterReasons.has(reason)) return "content_filter";
  return calledFunctions ? "tool_calls" : "stop";
}

/** Gemini gives function calls no ids; OpenAI clients need unique ones to pair results with. */
export function newToolCallId(): string {
  return `call_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

export type GeminiToolCall = OpenAiToolCall & GoogleToolCallExtra;

export interface SplitParts {
  text: string | undefined;
  reasoning: string | undefined;
  toolCalls: GeminiToolCall[];
}

/** Answer text, thought-summary text and function calls of one candidate's parts, in order. */
export function splitParts(parts: GeminiPart[] | undefined): SplitParts {
  let text: string | undefined;
  let reasoning: string | undefined;
  const toolCalls: GeminiToolCall[] = [];
  for (const part of Array.isArray(parts) ? parts : []) {
    if (typeof part !== "object" || part === null) continue;
    if (typeof part.text === "string") {
      if (part.thought === true) reasoning = (reasoning ?? "") + part.text;
      else text = (text ?? "") + part.text;
    }
    if (part.functionCall) {
      const toolCall: GeminiToolCall = {
        id: newToolCallId(),
        type: "function",
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      };
      // Gemini 3 rejects a replayed function call without its signature; keep it for the way back.
      if (part.thoughtSignature) toolCall.extra_content = { google: { thought_signature: part.thoughtSignature } };
      toolCalls.push(toolCall);
    }
  }
  return { text, reasoning, toolCalls };
}

export function toChatCompletion(body: unknown): ParsedCompletion {
  if (!isRecord(body) || (!Array.isArray(body.candidates) && !isRecord(body.promptFeedback))) {
    throw new TypeError("upstream response is not a Gemini GenerateContentResponse (no candidates)");
  }
  const response: GeminiGenerateContentResponse = body;
  const candidates = Array.isArray(response.candidates) ? response.candidates : [];
  const choices: ChatCompletion["choices"] = candidates.map((candidate, position) => {
    const { text, reasoning, toolCalls } = splitParts(candidate.content?.parts);
    const message: OpenAiMessage = { role: "assistant", content: text ?? null };
    if (reasoning !== undefined) message.reasoning_content = reasoning;
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    const reason = candidate.finishReason;
    return {
      index: candidate.index ?? position,
      message,
      finish_reason: reason ? finishReasonFromGemini(reason, toolCalls.length > 0) : null,
    };
  });
  // A blocked prompt comes back with promptFeedback and no candidates at all.
  if (choices.length === 0) {
    choices.push({ index: 0, message: { role: "assistant", content: null }, finish_reason: "content_filter" });
  }
  const usage = usageFromGemini(response.usageMetadata);
  const completion: ChatCompletion = {
    id: response.responseId ?? `chatcmpl-${crypto.randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: response.modelVersion ?? "",
    choices,
  };
  if (usage) completion.usage = openAiUsageOf(usage);
  return { completion, usage };
}

/** A google.protobuf.Duration in JSON ("48s", "48.9s") as whole seconds, rounded up. */
function durationSeconds(value: unknown): number | undefined {
  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Math.ceil(Number(match[1])) : undefined;
}

function retryDelayOf(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  const retryInfo = details.find(
    (detail) => isRecord(detail) && detail["@type"] === "type.googleapis.com/google.rpc.RetryInfo",
  );
  return isRecord(retryInfo) ? durationSeconds(retryInfo.retryDelay) : undefined;
}

/** Reads `{"error": {code, message, status, details}}`; code is the canonical name, e.g. RESOURCE_EXHAUSTED. */
export function readGoogleError(status: number, bodyText: string, headers: Headers): UpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : {};
  const message = (typeof error.message === "string" && error.message) || bodyText.slice(0, 500) || `HTTP ${status}`;
  // Google answers a bad API key with 400 INVALID_ARGUMENT; it is our credential failing, so say 401.
  const keyRejected =
    Array.isArray(error.details) &&
    error.details.some((detail) => isRecord(detail) && detail.reason === "API_KEY_INVALID");
  return {
    status: keyRejected ? 401 : status,
    message,
    code: typeof error.status === "string" ? error.status : null,
    param: null,
    retryAfterSeconds: retryDelayOf(error.details) ?? retryAfterSeconds(headers),
  };
}
