// Anthropic stream events → OpenAI chat.completion.chunk parts. Anthropic streams typed blocks
// (text, thinking, tool_use) by block index; OpenAI streams flat deltas with a tool-call index, so
// the transformer keeps the little state needed to translate: ids, input usage, tool indexes.
import type { ChatCompletionChunk, ChatRequest } from "../openai-types";
import type { StreamPart, StreamTransformer, UpstreamError } from "../types";
import { finishReasonFor, isRecord, nowSeconds, usageFromAnthropic } from "./response";
import type {
  AnthropicContentBlockDeltaEvent,
  AnthropicContentBlockStartEvent,
  AnthropicErrorDetail,
  AnthropicMessageDeltaEvent,
  AnthropicMessageDeltaUsage,
  AnthropicStreamEvent,
  AnthropicUsage,
} from "./wire-types";

type Delta = ChatCompletionChunk["choices"][number]["delta"];
type ToolCallDelta = NonNullable<Delta["tool_calls"]>[number];

/** Anthropic's 529 means overloaded (retry later); any other mid-stream failure is a bad gateway. */
export function streamErrorOf(error: Partial<AnthropicErrorDetail> | undefined): UpstreamError {
  const code = typeof error?.type === "string" ? error.type : null;
  return {
    status: code === "overloaded_error" ? 529 : 502,
    message: typeof error?.message === "string" && error.message ? error.message : "Upstream stream error",
    code,
    param: null,
  };
}

const malformedEventError: UpstreamError = {
  status: 502,
  message: "Malformed stream event from upstream",
  code: null,
  param: null,
};

/** Only the discriminant is checked here; handlers that meet a malformed event throw and are caught. */
function isStreamEvent(payload: unknown): payload is AnthropicStreamEvent {
  return isRecord(payload) && typeof payload.type === "string";
}

/**
 * message_start reports the input and cache counts; message_delta the final output count and, in
 * newer streams, the input and cache counts again. The later non-null count wins.
 */
function finalUsage(start: Partial<AnthropicUsage>, end: Partial<AnthropicMessageDeltaUsage>): Partial<AnthropicUsage> {
  return {
    input_tokens: end.input_tokens ?? start.input_tokens,
    cache_read_input_tokens: end.cache_read_input_tokens ?? start.cache_read_input_tokens,
    cache_creation_input_tokens: end.cache_creation_input_tokens ?? start.cache_creation_input_tokens,
    output_tokens: end.output_tokens ?? start.output_tokens,
    output_tokens_details: end.output_tokens_details ?? start.output_tokens_details,
  };
}

export function createAnthropicStreamTransformer(request: ChatRequest): StreamTransformer {
  let id = "";
  let model = request.model;
  let created = nowSeconds();
  let startUsage: Partial<AnthropicUsage> = {};
  let toolCount = 0;
  /** Anthropic block index → OpenAI tool-call index, for tool_use blocks. */
  const toolIndexOfBlock = new Map<number, number>();
  /**
   * Tool blocks that have streamed no argument text yet (a tool without parameters may stream none),
   * with the input their start event carried, sent as the arguments if nothing follows.
   */
  const unstreamedToolInput = new Map<number, string>();

  const chunk = (delta: Delta, finishReason: string | null = null): StreamPart => ({
    type: "chunk",
    chunk: {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    },
    usageOnly: false,
  });

  const toolArguments = (blockIndex: number, text: string): StreamPart[] => {
    const index = toolIndexOfBlock.get(blockIndex);
    if (index === undefined || text.length === 0) return [];
    unstreamedToolInput.delete(blockIndex);
    // OpenAI sends later fragments as {index, function: {arguments}} only; ChatCompletionChunk's
    // type wants a whole tool call in every delta, so the fragment is asserted to be one.
    const fragment: ToolCallDelta = { index, function: { arguments: text } };
    return [chunk({ tool_calls: [fragment] })];
  };

  const onBlockStart = (event: AnthropicContentBlockStartEvent): StreamPart[] => {
    const block = event.content_block;
    if (block.type === "tool_use") {
      const index = toolCount++;
      toolIndexOfBlock.set(event.index, index);
      unstreamedToolInput.set(event.index, JSON.stringify(block.input ?? {}));
      const call = { index, id: block.id, type: "function" as const, function: { name: block.name, arguments: "" } };
      return [chunk({ tool_calls: [call] })];
    }
    if (block.type === "text" && block.text) return [chunk({ content: block.text })];
    if (block.type === "thinking" && block.thinking) return [chunk({ reasoning_content: block.thinking })];
    return [];
  };

  const onBlockDelta = (event: AnthropicContentBlockDeltaEvent): StreamPart[] => {
    const delta = event.delta;
    switch (delta.type) {
      case "text_delta":
        return delta.text ? [chunk({ content: delta.text })] : [];
      case "thinking_delta":
        return delta.thinking ? [chunk({ reasoning_content: delta.thinking })] : [];
      case "input_json_delta":
        return toolArguments(event.index, delta.partial_json);
      default:
        // signature_delta (and delta types added later) have no OpenAI counterpart.
        return [];
    }
  };

  const onMessageDelta = (event: AnthropicMessageDeltaEvent): StreamPart[] => {
    const finishReason = finishReasonFor(event.delta?.stop_reason) ?? "stop";
    const endUsage = isRecord(event.usage) ? event.usage : {};
    return [chunk({}, finishReason), { type: "usage", usage: usageFromAnthropic(finalUsage(startUsage, endUsage)) }];
  };

  const onEvent = (event: AnthropicStreamEvent): StreamPart[] => {
    switch (event.type) {
      case "message_start":
        id = event.message.id;
        model = event.message.model || model;
        created = nowSeconds();
        startUsage = isRecord(event.message.usage) ? event.message.usage : {};
        return [chunk({ role: "assistant", content: "" })];
      case "content_block_start":
        return onBlockStart(event);
      case "content_block_delta":
        return onBlockDelta(event);
      case "content_block_stop": {
        // OpenAI clients parse the concatenated arguments, so a tool that streamed none gets its start input.
        const input = unstreamedToolInput.get(event.index);
        return input === undefined ? [] : toolArguments(event.index, input);
      }
      case "message_delta":
        return onMessageDelta(event);
      case "message_stop":
        return [{ type: "done" }];
      case "error":
        return [{ type: "error", error: streamErrorOf(event.error) }];
      default:
        // ping, and event types added later.
        return [];
    }
  };

  return {
    transform(message): StreamPart[] {
      try {
        const payload: unknown = JSON.parse(message.data);
        return isStreamEvent(payload) ? onEvent(payload) : [];
      } catch {
        // Unparseable JSON, or an event missing the fields its type promises.
        return [{ type: "error", error: malformedEventError }];
      }
    },
  };
}
