// Chat chunks -> the Responses event sequence: item order, interleaved parallel calls, endings.
import { describe, expect, it } from "vitest";
import { ResponsesStreamEncoder, type ResponsesStreamEvent } from "../../src/gateway/responses/stream-events";
import type { ResponseHeader } from "../../src/gateway/responses/types";
import type { ChatCompletionChunk, ChatCompletionDelta } from "../../src/providers/openai-types";

const header: ResponseHeader = {
  id: "resp_1",
  createdAt: 1,
  model: "test/model",
  previousResponseId: null,
  settings: {
    instructions: null,
    max_output_tokens: null,
    metadata: {},
    parallel_tool_calls: true,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    user: null,
  },
};

const usage = { promptTokens: 10, completionTokens: 5, cachedTokens: 2, cacheWriteTokens: 0, reasoningTokens: 1 };

const chunk = (delta: ChatCompletionDelta, finishReason: string | null = null): ChatCompletionChunk => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "upstream",
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});

const types = (events: ResponsesStreamEvent[]) => events.map((event) => event.type);

describe("ResponsesStreamEncoder", () => {
  it("closes the text before a function call and routes interleaved argument fragments to their own call", () => {
    const encoder = new ResponsesStreamEncoder(header);
    const events = [
      ...encoder.chunk(chunk({ role: "assistant", content: "" })),
      ...encoder.chunk(chunk({ content: "Let me check" })),
      ...encoder.chunk(chunk({ tool_calls: [{ index: 0, id: "call_a", function: { name: "a", arguments: "" } }] })),
      ...encoder.chunk(chunk({ tool_calls: [{ index: 1, id: "call_b", function: { name: "b", arguments: '{"y"' } }] })),
      ...encoder.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"x":1}' } }] })),
      ...encoder.chunk(chunk({ tool_calls: [{ index: 1, function: { arguments: ":2}" } }] }, "tool_calls")),
    ];
    const { events: final, response } = encoder.finish(null, usage, 0.5);
    const all = [...events, ...final];
    expect(types(all)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, index) => index));
    const fragments = all.filter((event) => event.type === "response.function_call_arguments.delta");
    expect(fragments.map((event) => [event.output_index, event.delta])).toEqual([
      [2, '{"y"'],
      [1, '{"x":1}'],
      [2, ":2}"],
    ]);
    expect(response.status).toBe("completed");
    expect(response.output.map((item) => (item.type === "function_call" ? item.arguments : item.type))).toEqual([
      "message",
      '{"x":1}',
      '{"y":2}',
    ]);
    expect(response.usage).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 2 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 1 },
      total_tokens: 15,
      cost: 0.5,
    });
    expect(all.at(-1)).toMatchObject({ type: "response.completed", response });
  });

  it("ends a response cut at the token limit with response.incomplete and incomplete items", () => {
    const encoder = new ResponsesStreamEncoder(header);
    encoder.chunk(chunk({ content: "Once upon" }, "length"));
    const { events, response } = encoder.finish(null, usage, 0);
    expect(types(events).at(-1)).toBe("response.incomplete");
    expect(response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(response.output[0]).toMatchObject({ type: "message", status: "incomplete" });
  });

  it("ends a failed stream with response.failed and ignores anything after it", () => {
    const encoder = new ResponsesStreamEncoder(header);
    encoder.chunk(chunk({ content: "Hel" }));
    const failed = encoder.fail("server_error", "upstream broke");
    expect(types(failed)).toEqual(["response.failed"]);
    expect(failed[0]?.response).toMatchObject({
      status: "failed",
      error: { code: "server_error", message: "upstream broke" },
      usage: null,
      output: [{ type: "message", status: "incomplete", content: [{ type: "output_text", text: "Hel" }] }],
    });
    expect(encoder.chunk(chunk({ content: "lo" }))).toEqual([]);
  });

  it("starts with created and in_progress even when the first event is the end", () => {
    const encoder = new ResponsesStreamEncoder(header);
    const { events, response } = encoder.finish("stop", usage, 0);
    expect(types(events)).toEqual(["response.created", "response.in_progress", "response.completed"]);
    expect(response.output).toEqual([]);
  });
});
