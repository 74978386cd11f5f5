// Anthropic message → OpenAI chat completion, and Anthropic usage → the gateway's TokenUsage.
import { usageFromSplitInput } from "../../gateway/usage";
import { isRecord } from "../../lib/json";
import type { ChatCompletion, OpenAiMessage, OpenAiToolCall } from "../openai-types";
import type { ParsedCompletion, TokenUsage } from "../types";
import type { AnthropicMessage, AnthropicUsage } from "./wire-types";

export { isRecord };

const countOf = (value: unknown): number => (typeof value === "number" ? value : 0);

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** OpenAI's finish_reason for an Anthropic stop_reason. */
export function finishReasonFor(stopReason: string | null | undefined): string | null {
  switch (stopReason) {
    case null:
    case undefined:
      return null;
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn and reasons added later all end the turn normally.
      return "stop";
  }
}

/** Anthropic counts cache reads and writes apart from input_tokens; the gateway's prompt count includes them. */
export function usageFromAnthropic(usage: Partial<AnthropicUsage>): TokenUsage {
  return usageFromSplitInput({
    uncachedInput: countOf(usage.input_tokens),
    cacheRead: countOf(usage.cache_read_input_tokens),
    cacheWrite: countOf(usage.cache_creation_input_tokens),
    output: countOf(usage.output_tokens),
    reasoning: countOf(usage.output_tokens_details?.thinking_tokens),
  });
}

function isAnthropicMessage(body: unknown): body is AnthropicMessage {
  return isRecord(body) && body.type === "message" && Array.isArray(body.content);
}

export function parseAnthropicCompletion(body: unknown): ParsedCompletion {
  if (!isAnthropicMessage(body)) {
    throw new TypeError("upstream response is not an Anthropic message (no content array)");
  }
  const texts: string[] = [];
  const thoughts: string[] = [];
  const toolCalls: OpenAiToolCall[] = [];
  for (const block of body.content) {
    if (block.type === "text") texts.push(block.text);
    else if (block.type === "thinking") thoughts.push(block.thinking);
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
    // redacted_thinking is encrypted and has no OpenAI counterpart.
  }
  const message: OpenAiMessage = { role: "assistant", content: texts.length > 0 ? texts.join("") : null };
  if (thoughts.length > 0) message.reasoning_content = thoughts.join("");
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const completion: ChatCompletion = {
    id: body.id,
    object: "chat.completion",
    created: nowSeconds(),
    model: body.model,
    choices: [{ index: 0, message, finish_reason: finishReasonFor(body.stop_reason) }],
  };
  return { completion, usage: isRecord(body.usage) ? usageFromAnthropic(body.usage) : undefined };
}
