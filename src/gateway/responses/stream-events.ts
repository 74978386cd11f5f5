// OpenAI chat-completion chunks -> the Responses API's typed stream events, in OpenAI's order:
// response.created, response.in_progress, then per output item: output_item.added, (for a message)
// content_part.added, output_text.delta…, output_text.done, content_part.done, (for a function call)
// function_call_arguments.delta…, function_call_arguments.done, then output_item.done; finally
// response.completed (or response.incomplete) carrying the whole response with usage, or
// response.failed. Every event has a sequence_number counting from 0. Only the text of the open items
// is kept (the final events repeat it); nothing else is buffered.
import type { ChatCompletionChunk } from "../../providers/openai-types";
import type { TokenUsage } from "../../providers/types";
import { buildResponse, functionCallItem, messageItem, outcomeOf, responsesUsage } from "./response-from-chat";
import { type ItemStatus, type OutputItem, type ResponseHeader, type ResponseObject, responsesId } from "./types";

export interface ResponsesStreamEvent {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}

interface MessageState {
  kind: "message";
  id: string;
  outputIndex: number;
  text: string;
  /** in_progress while open; set when the item's done events went out. */
  status: ItemStatus;
}

interface CallState {
  kind: "function_call";
  id: string;
  outputIndex: number;
  callId: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

type ItemState = MessageState | CallState;

/** A streamed tool-call fragment, read loosely: upstreams differ in which fields they repeat. */
interface ChunkToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

export class ResponsesStreamEncoder {
  private readonly header: ResponseHeader;
  private sequence = 0;
  private started = false;
  private ended = false;
  private readonly items: ItemState[] = [];
  private openMessage: MessageState | null = null;
  /** Function calls by the upstream's tool_calls index. */
  private readonly calls = new Map<number, CallState>();
  private upstreamFinishReason: string | null = null;

  constructor(header: ResponseHeader) {
    this.header = header;
  }

  chunk(chunk: ChatCompletionChunk): ResponsesStreamEvent[] {
    if (this.ended) return [];
    const events = this.start();
    // A response has one answer; other choices (n > 1) have nowhere to go.
    const choice = chunk.choices?.find((candidate) => candidate.index === 0) ?? chunk.choices?.[0];
    if (!choice) return events;
    const delta = choice.delta ?? {};
    const text = typeof delta.content === "string" && delta.content !== "" ? delta.content : delta.refusal;
    if (typeof text === "string" && text !== "") events.push(...this.textDelta(text));
    const toolCalls: ChunkToolCall[] = delta.tool_calls ?? [];
    toolCalls.forEach((call, position) => {
      events.push(...this.toolCallDelta(call, position));
    });
    if (choice.finish_reason) this.upstreamFinishReason = choice.finish_reason;
    return events;
  }

  /** Closes every open item and ends with the whole response; `finishReason` null falls back to the chunks'. */
  finish(
    finishReason: string | null,
    usage: TokenUsage,
    costUsd: number,
  ): { events: ResponsesStreamEvent[]; response: ResponseObject } {
    const outcome = outcomeOf(finishReason ?? this.upstreamFinishReason);
    const itemStatus: ItemStatus = outcome.status === "completed" ? "completed" : "incomplete";
    const events = this.start();
    for (const item of this.items) events.push(...this.closeItem(item, itemStatus));
    this.ended = true;
    const response = buildResponse(this.header, {
      status: outcome.status,
      output: this.items.map((item) => this.itemOf(item)),
      usage: responsesUsage(usage, costUsd),
      incompleteDetails: outcome.incompleteDetails,
    });
    events.push(
      this.event(outcome.status === "completed" ? "response.completed" : "response.incomplete", { response }),
    );
    return { events, response };
  }

  /** A failed stream ends with response.failed (status failed, the error inside) and nothing after it. */
  fail(code: string, message: string): ResponsesStreamEvent[] {
    if (this.ended) return [];
    const events = this.start();
    this.ended = true;
    const response = buildResponse(this.header, {
      status: "failed",
      output: this.items.map((item) => this.itemOf(item, item.status === "in_progress" ? "incomplete" : item.status)),
      usage: null,
      error: { code, message },
    });
    events.push(this.event("response.failed", { response }));
    return events;
  }

  private start(): ResponsesStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    const response = buildResponse(this.header, { status: "in_progress", output: [], usage: null });
    return [this.event("response.created", { response }), this.event("response.in_progress", { response })];
  }

  private event(type: string, fields: Record<string, unknown>): ResponsesStreamEvent {
    return { type, sequence_number: this.sequence++, ...fields };
  }

  private itemOf(item: ItemState, status: ItemStatus = item.status): OutputItem {
    return item.kind === "message" ? messageItem(item.id, item.text, status) : functionCallItem(item.id, item, status);
  }

  private textDelta(text: string): ResponsesStreamEvent[] {
    const events: ResponsesStreamEvent[] = [];
    let message = this.openMessage;
    if (!message) {
      message = {
        kind: "message",
        id: responsesId("msg"),
        outputIndex: this.items.length,
        text: "",
        status: "in_progress",
      };
      this.items.push(message);
      this.openMessage = message;
      const { id: itemId, outputIndex } = message;
      events.push(
        this.event("response.output_item.added", {
          output_index: outputIndex,
          item: { id: itemId, type: "message", role: "assistant", status: "in_progress", content: [] },
        }),
        this.event("response.content_part.added", {
          item_id: itemId,
          output_index: outputIndex,
          content_index: 0,
          part: { type: "output_text", text: "", annotations: [] },
        }),
      );
    }
    message.text += text;
    events.push(
      this.event("response.output_text.delta", {
        item_id: message.id,
        output_index: message.outputIndex,
        content_index: 0,
        delta: text,
        logprobs: [],
      }),
    );
    return events;
  }

  private toolCallDelta(call: ChunkToolCall, position: number): ResponsesStreamEvent[] {
    const events: ResponsesStreamEvent[] = [];
    const toolIndex = typeof call.index === "number" ? call.index : position;
    let state = this.calls.get(toolIndex);
    // Some upstreams send each parallel call whole under the same index; a new id means a new call.
    if (!state || (typeof call.id === "string" && call.id !== "" && call.id !== state.callId)) {
      // The text before a tool call is complete: its message closes (a later text opens a new one).
      if (this.openMessage) events.push(...this.closeItem(this.openMessage, "completed"));
      state = {
        kind: "function_call",
        id: responsesId("fc"),
        outputIndex: this.items.length,
        callId: call.id || responsesId("call"),
        name: call.function?.name ?? "",
        arguments: "",
        status: "in_progress",
      };
      this.items.push(state);
      this.calls.set(toolIndex, state);
      events.push(
        this.event("response.output_item.added", {
          output_index: state.outputIndex,
          item: functionCallItem(state.id, state, "in_progress"),
        }),
      );
    } else if (state.name === "" && call.function?.name) {
      state.name = call.function.name;
    }
    const fragment = call.function?.arguments;
    // Parallel calls may interleave: a fragment goes to its own call's item, open until the end.
    if (typeof fragment === "string" && fragment !== "") {
      state.arguments += fragment;
      events.push(
        this.event("response.function_call_arguments.delta", {
          item_id: state.id,
          output_index: state.outputIndex,
          delta: fragment,
        }),
      );
    }
    return events;
  }

  private closeItem(item: ItemState, status: ItemStatus): ResponsesStreamEvent[] {
    if (item.status !== "in_progress") return [];
    item.status = status;
    const where = { item_id: item.id, output_index: item.outputIndex };
    if (item.kind === "function_call") {
      return [
        this.event("response.function_call_arguments.done", { ...where, name: item.name, arguments: item.arguments }),
        this.event("response.output_item.done", { output_index: item.outputIndex, item: this.itemOf(item) }),
      ];
    }
    if (this.openMessage === item) this.openMessage = null;
    const part = { type: "output_text", text: item.text, annotations: [] };
    return [
      this.event("response.output_text.done", { ...where, content_index: 0, text: item.text, logprobs: [] }),
      this.event("response.content_part.done", { ...where, content_index: 0, part }),
      this.event("response.output_item.done", { output_index: item.outputIndex, item: this.itemOf(item) }),
    ];
  }
}
