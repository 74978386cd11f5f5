// OpenAI-shaped results -> Anthropic Messages shapes: the whole message, its stop reason and usage
// (shared with the stream encoder), and error bodies.
import type {
  AnthropicErrorBody,
  AnthropicMessage,
  AnthropicResponseContentBlock,
  AnthropicStopReason,
  AnthropicUsage,
} from "../../providers/anthropic/wire-types";
import type { ChatCompletion, OpenAiMessage } from "../../providers/openai-types";
import type { TokenUsage } from "../../providers/types";

/** Anthropic ids look like `msg_<alphanumerics>`; an upstream id that already starts so is kept. */
export function anthropicMessageId(upstreamId: string): string {
  if (upstreamId.startsWith("msg_")) return upstreamId;
  const idish = upstreamId.replace(/[^A-Za-z0-9]/g, "");
  return `msg_${idish === "" ? crypto.randomUUID().replaceAll("-", "") : idish}`;
}

/**
 * OpenAI finish reasons in Anthropic terms. Some upstreams report "stop" after tool calls; Anthropic
 * clients run tools only on "tool_use", so tool calls win.
 */
export function anthropicStopReason(finishReason: string | null, hasToolUse: boolean): AnthropicStopReason {
  if (finishReason === "length") return "max_tokens";
  if (finishReason === "content_filter") return "refusal";
  if (finishReason === "tool_calls" || finishReason === "function_call" || hasToolUse) return "tool_use";
  return "end_turn";
}

/** Anthropic's input_tokens exclude cache reads and writes; OpenAI's prompt_tokens include them. */
export function anthropicUsage(usage: TokenUsage): AnthropicUsage {
  return {
    input_tokens: Math.max(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens),
    output_tokens: usage.completionTokens,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
  };
}

/** Reasoning text under either name upstreams use (`reasoning_content`, or `reasoning` on OpenRouter/Groq). */
export function reasoningText(message: { reasoning_content?: unknown; reasoning?: unknown }): string {
  if (typeof message.reasoning_content === "string") return message.reasoning_content;
  return typeof message.reasoning === "string" ? message.reasoning : "";
}

/** Tool arguments as an object, as Anthropic requires; anything else becomes {}. */
export function toolInput(argumentsJson: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return { ...parsed };
  } catch {
    // Unparsable arguments: fall through to {}.
  }
  return {};
}

export function chatCompletionToAnthropic(
  completion: ChatCompletion,
  usage: TokenUsage,
  model: string,
): AnthropicMessage {
  const choice = completion.choices[0];
  const message: Partial<OpenAiMessage> = choice?.message ?? {};
  const content: AnthropicResponseContentBlock[] = [];

  const thinking = reasoningText(message);
  // No signature exists for another provider's reasoning; the field is required, so it is empty.
  if (thinking !== "") content.push({ type: "thinking", thinking, signature: "" });
  const text = typeof message.content === "string" && message.content !== "" ? message.content : message.refusal;
  if (typeof text === "string" && text !== "") content.push({ type: "text", text });
  for (const call of message.tool_calls ?? []) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: toolInput(call.function.arguments),
    });
  }

  const hasToolUse = content.some((block) => block.type === "tool_use");
  return {
    id: anthropicMessageId(completion.id),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: anthropicStopReason(choice?.finish_reason ?? null, hasToolUse),
    stop_sequence: null,
    usage: anthropicUsage(usage),
  };
}

/** Anthropic's error type for an HTTP status (https://docs.anthropic.com/en/api/errors). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
    case 422:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

export function anthropicErrorBody(status: number, message: string): AnthropicErrorBody {
  return { type: "error", error: { type: anthropicErrorType(status), message } };
}
