// OpenAI chat-completion chunks -> Anthropic's stream events, in the order Anthropic's own streams
// use: message_start, then one content block at a time (start, deltas, stop) with indexes counting
// from 0, then message_delta with the stop reason and final usage, then message_stop. Anthropic's SDK
// accumulates blocks by index and reports deltas against the last opened block, so only one block is
// ever open.
import type {
  AnthropicContentBlockDelta,
  AnthropicContentBlockStartEvent,
  AnthropicErrorEvent,
  AnthropicResponseContentBlock,
  AnthropicStreamEvent,
} from "../../providers/anthropic/wire-types";
import type { ChatCompletionChunk } from "../../providers/openai-types";
import type { TokenUsage } from "../../providers/types";
import { anthropicStopReason, anthropicUsage, reasoningText } from "./response-from-chat";

export interface AnthropicStreamEncoderOptions {
  messageId: string;
  /** The model the client asked for. */
  model: string;
  /** Prompt counts, when known before the upstream answers. */
  inputUsage?: TokenUsage;
}

type BlockKind = "thinking" | "text" | "tool_use";

interface OpenBlock {
  kind: BlockKind;
  index: number;
}

interface ToolBlock {
  index: number;
  id: string;
}

/** A streamed tool-call fragment, read loosely: upstreams differ in which fields they repeat. */
interface ChunkToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

export function encodeAnthropicEvent(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export class AnthropicStreamEncoder {
  private readonly options: AnthropicStreamEncoderOptions;
  private started = false;
  private ended = false;
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  /** Tool blocks by the upstream's tool_calls index. */
  private readonly toolBlocks = new Map<number, ToolBlock>();
  private sawToolUse = false;
  private upstreamFinishReason: string | null = null;

  constructor(options: AnthropicStreamEncoderOptions) {
    this.options = options;
  }

  /** message_start, once; chunk() and finish() call it themselves if the caller has not. */
  start(): AnthropicStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    const input = this.options.inputUsage ? anthropicUsage(this.options.inputUsage) : undefined;
    return [
      {
        type: "message_start",
        message: {
          id: this.options.messageId,
          type: "message",
          role: "assistant",
          model: this.options.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // Anthropic reports an early output count of at least 1 here; message_delta has the real one.
          usage: {
            input_tokens: input?.input_tokens ?? 0,
            cache_creation_input_tokens: input?.cache_creation_input_tokens ?? 0,
            cache_read_input_tokens: input?.cache_read_input_tokens ?? 0,
            output_tokens: 1,
          },
        },
      },
    ];
  }

  chunk(chunk: ChatCompletionChunk): AnthropicStreamEvent[] {
    if (this.ended) return [];
    const events = this.start();
    // Anthropic messages have one choice; other choices (n > 1) have nowhere to go.
    const choice = chunk.choices?.find((candidate) => candidate.index === 0) ?? chunk.choices?.[0];
    if (!choice) return events;
    const delta = choice.delta ?? {};

    const thinking = reasoningText(delta);
    if (thinking !== "") events.push(...this.deltaInto("thinking", { type: "thinking_delta", thinking }));
    const text = typeof delta.content === "string" && delta.content !== "" ? delta.content : delta.refusal;
    if (typeof text === "string" && text !== "") events.push(...this.deltaInto("text", { type: "text_delta", text }));
    const toolCalls: ChunkToolCall[] = delta.tool_calls ?? [];
    toolCalls.forEach((call, position) => {
      events.push(...this.toolCallDelta(call, position));
    });

    if (choice.finish_reason) this.upstreamFinishReason = choice.finish_reason;
    return events;
  }

  /** `finishReason` null falls back to the one the chunks carried. */
  finish(finishReason: string | null, usage: TokenUsage): AnthropicStreamEvent[] {
    if (this.ended) return [];
    const events = [...this.start(), ...this.closeOpenBlock()];
    this.ended = true;
    const final = anthropicUsage(usage);
    events.push(
      {
        type: "message_delta",
        delta: {
          stop_reason: anthropicStopReason(finishReason ?? this.upstreamFinishReason, this.sawToolUse),
          stop_sequence: null,
        },
        // Newer Anthropic streams repeat the input and cache counts here; the SDK overwrites with them.
        usage: {
          input_tokens: final.input_tokens,
          cache_creation_input_tokens: final.cache_creation_input_tokens,
          cache_read_input_tokens: final.cache_read_input_tokens,
          output_tokens: final.output_tokens,
        },
      },
      { type: "message_stop" },
    );
    return events;
  }

  /** Anthropic ends a failed stream with an error event and nothing after it. */
  error(type: string, message: string): AnthropicErrorEvent {
    this.ended = true;
    return { type: "error", error: { type, message } };
  }

  private deltaInto(kind: "thinking" | "text", delta: AnthropicContentBlockDelta): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (this.open?.kind !== kind) {
      events.push(...this.closeOpenBlock());
      const block: AnthropicResponseContentBlock =
        kind === "thinking" ? { type: "thinking", thinking: "", signature: "" } : { type: "text", text: "" };
      events.push(this.openBlock(kind, block));
    }
    if (this.open) events.push({ type: "content_block_delta", index: this.open.index, delta });
    return events;
  }

  private toolCallDelta(call: ChunkToolCall, position: number): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    const toolIndex = typeof call.index === "number" ? call.index : position;
    let block = this.toolBlocks.get(toolIndex);
    // Some upstreams send each parallel call whole under the same index; a new id means a new call.
    const isNewCall = !block || (typeof call.id === "string" && call.id !== "" && call.id !== block.id);
    if (!block || isNewCall) {
      events.push(...this.closeOpenBlock());
      const id = call.id || `toolu_${crypto.randomUUID().replaceAll("-", "")}`;
      const start = this.openBlock("tool_use", { type: "tool_use", id, name: call.function?.name ?? "", input: {} });
      block = { index: start.index, id };
      this.toolBlocks.set(toolIndex, block);
      this.sawToolUse = true;
      events.push(start);
    }
    const fragment = call.function?.arguments;
    // A fragment for a block already closed (upstreams interleaving parallel calls) still goes to that
    // block's index: the SDK accumulates by index, and dropping it would corrupt the arguments.
    if (typeof fragment === "string" && fragment !== "") {
      events.push({
        type: "content_block_delta",
        index: block.index,
        delta: { type: "input_json_delta", partial_json: fragment },
      });
    }
    return events;
  }

  private openBlock(kind: BlockKind, block: AnthropicResponseContentBlock): AnthropicContentBlockStartEvent {
    const index = this.nextIndex++;
    this.open = { kind, index };
    return { type: "content_block_start", index, content_block: block };
  }

  private closeOpenBlock(): AnthropicStreamEvent[] {
    const open = this.open;
    if (!open) return [];
    this.open = null;
    const events: AnthropicStreamEvent[] = [];
    // Anthropic closes a thinking block with its signature; other providers' reasoning has none.
    if (open.kind === "thinking") {
      events.push({
        type: "content_block_delta",
        index: open.index,
        delta: { type: "signature_delta", signature: "" },
      });
    }
    events.push({ type: "content_block_stop", index: open.index });
    return events;
  }
}
