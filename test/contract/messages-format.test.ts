// The Anthropic front door's translation layer, against recorded Anthropic requests and streams and
// recorded OpenAI-shaped results; streams are also read back through Anthropic's own SDK.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { anthropicRequestToChat, MessagesRequestError } from "../../src/gateway/messages/request-to-chat";
import { anthropicErrorBody, chatCompletionToAnthropic } from "../../src/gateway/messages/response-from-chat";
import { AnthropicStreamEncoder, encodeAnthropicEvent } from "../../src/gateway/messages/stream-to-anthropic";
import { usageFromOpenAi } from "../../src/gateway/usage";
import type {
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicStreamEvent,
} from "../../src/providers/anthropic/wire-types";
import type { ChatCompletion, ChatCompletionChunk } from "../../src/providers/openai-types";
import type { TokenUsage } from "../../src/providers/types";
import { fixtureEvents, fixtureJson } from "./fixtures";

const recordedRequest = (name: string): AnthropicMessagesRequest =>
  JSON.parse(fixtureJson<{ request: { body: string } }>(`anthropic/${name}.meta.json`).request.body);

const base = { model: "claude-x", max_tokens: 100 };
const noUsage: TokenUsage = {
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
};

function usageOf(raw: unknown): TokenUsage {
  const usage = usageFromOpenAi(raw);
  if (!usage) throw new Error("fixture has no usage");
  return usage;
}

describe("Anthropic request -> chat request", () => {
  it("translates recorded requests: text blocks, max_tokens, stream usage, temperature", () => {
    const text = anthropicRequestToChat(recordedRequest("messages-text"));
    expect(text).toEqual({
      model: "claude-haiku-4-5-20251001",
      max_tokens: 64000,
      messages: [{ role: "user", content: "What's 2 + 2?" }],
    });

    const stream = anthropicRequestToChat(recordedRequest("stream-prompt-cache-read"));
    expect(stream.stream).toBe(true);
    expect(stream.stream_options).toEqual({ include_usage: true });
    expect(stream.temperature).toBe(0.7);
    expect(stream.messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(stream.messages[1]).toEqual({ role: "assistant", content: "Here's counting from 1 to 3:\n\n1\n2\n3" });
    // cache_control is not an OpenAI field: dropped unless asked for.
    expect(JSON.stringify(stream)).not.toContain("cache_control");
    const kept = anthropicRequestToChat(recordedRequest("stream-prompt-cache-read"), { keepCacheControl: true });
    expect(kept.messages[2]?.content).toEqual([
      { type: "text", text: expect.stringContaining("Count from 1 to 3"), cache_control: { type: "ephemeral" } },
    ]);
  });

  it("passes the recorded thinking configs through unchanged", () => {
    expect(anthropicRequestToChat(recordedRequest("messages-thinking")).thinking).toEqual({
      type: "enabled",
      budget_tokens: 1024,
    });
    expect(anthropicRequestToChat(recordedRequest("messages-thinking-summarized")).thinking).toEqual({
      type: "adaptive",
      display: "summarized",
    });
  });

  it("turns the recorded tools into functions with input_schema as parameters", () => {
    const body = recordedRequest("messages-tool-use-parallel");
    const chat = anthropicRequestToChat(body);
    expect(chat.tools).toEqual(
      body.tools?.map((tool) => ({
        type: "function",
        function: { name: tool.name, description: tool.description, parameters: tool.input_schema },
      })),
    );
    expect(chat).not.toHaveProperty("tool_choice");
  });

  it("makes system (string or blocks) a leading system message", () => {
    const messages = [{ role: "user" as const, content: "hi" }];
    expect(anthropicRequestToChat({ ...base, system: "Be brief.", messages }).messages[0]).toEqual({
      role: "system",
      content: "Be brief.",
    });
    const blocks = anthropicRequestToChat({
      ...base,
      system: [
        { type: "text", text: "One." },
        { type: "text", text: "Two.", cache_control: { type: "ephemeral" } },
      ],
      messages,
    });
    expect(blocks.messages).toEqual([
      { role: "system", content: "One.\n\nTwo." },
      { role: "user", content: "hi" },
    ]);
    const system = [{ type: "text" as const, text: "Cached.", cache_control: { type: "ephemeral" as const } }];
    expect(anthropicRequestToChat({ ...base, system, messages }, { keepCacheControl: true }).messages[0]).toEqual({
      role: "system",
      content: [{ type: "text", text: "Cached.", cache_control: { type: "ephemeral" } }],
    });
  });

  it("turns base64 and url images into image_url parts", () => {
    const chat = anthropicRequestToChat({
      ...base,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            { type: "image", source: { type: "url", url: "https://example.test/cat.jpg" } },
            { type: "text", text: "What are these?" },
          ],
        },
      ],
    });
    expect(chat.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        { type: "image_url", image_url: { url: "https://example.test/cat.jpg" } },
        { type: "text", text: "What are these?" },
      ],
    });
  });

  it("round-trips tool use: tool_calls, tool messages before the user's text, is_error, dropped thinking", () => {
    const chat = anthropicRequestToChat({
      ...base,
      messages: [
        { role: "user", content: "Weather in Berlin and Paris?" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "Two calls.", signature: "sig" },
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Berlin" } },
            { type: "tool_use", id: "toolu_2", name: "weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "text", text: "Thanks!" },
            { type: "tool_result", tool_use_id: "toolu_1", content: "12°C" },
            {
              type: "tool_result",
              tool_use_id: "toolu_2",
              is_error: true,
              content: [
                { type: "text", text: "service down" },
                { type: "image", source: { type: "url", url: "https://example.test/err.png" } },
              ],
            },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      { role: "user", content: "Weather in Berlin and Paris?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "weather", arguments: '{"city":"Berlin"}' } },
          { id: "toolu_2", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "12°C" },
      { role: "tool", tool_call_id: "toolu_2", content: "Error: service down" },
      // The tool result's image cannot ride on a tool message, so it joins the user's content.
      {
        role: "user",
        content: [
          { type: "text", text: "Thanks!" },
          { type: "image_url", image_url: { url: "https://example.test/err.png" } },
        ],
      },
    ]);
  });

  it("gives an assistant turn of only tool calls null content, and a user turn of only results no user message", () => {
    const chat = anthropicRequestToChat({
      ...base,
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "t", name: "now", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t" }] },
      ],
    });
    expect(chat.messages).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "t", type: "function", function: { name: "now", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "t", content: "" },
    ]);
  });

  it("maps tool_choice and disable_parallel_tool_use", () => {
    const tools = [{ name: "weather", input_schema: { type: "object" } }];
    const messages = [{ role: "user" as const, content: "hi" }];
    const choose = (tool_choice: AnthropicMessagesRequest["tool_choice"]) =>
      anthropicRequestToChat({ ...base, messages, tools, tool_choice });
    expect(choose({ type: "auto" }).tool_choice).toBe("auto");
    expect(choose({ type: "any" }).tool_choice).toBe("required");
    expect(choose({ type: "none" }).tool_choice).toBe("none");
    expect(choose({ type: "tool", name: "weather" }).tool_choice).toEqual({
      type: "function",
      function: { name: "weather" },
    });
    expect(choose({ type: "auto" })).not.toHaveProperty("parallel_tool_calls");
    expect(choose({ type: "any", disable_parallel_tool_use: true }).parallel_tool_calls).toBe(false);
    // OpenAI rejects tool_choice without tools.
    expect(anthropicRequestToChat({ ...base, messages, tool_choice: { type: "any" } })).not.toHaveProperty(
      "tool_choice",
    );
  });

  it("maps stop_sequences and metadata.user_id, and forwards no unknown fields", () => {
    const body = {
      ...base,
      messages: [{ role: "user" as const, content: "hi" }],
      stop_sequences: ["END"],
      top_p: 0.9,
      top_k: 5,
      metadata: { user_id: "user-42" },
      service_tier: "auto",
    };
    const chat = anthropicRequestToChat(body);
    expect(chat).toEqual({
      model: "claude-x",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
      stop: ["END"],
      top_p: 0.9,
      user: "user-42",
    });
  });

  it("refuses content blocks it cannot express", () => {
    const body = {
      ...base,
      messages: [
        { role: "user", content: [{ type: "document", source: { type: "url", url: "https://x.test/a.pdf" } }] },
      ],
    };
    expect(() => anthropicRequestToChat(JSON.parse(JSON.stringify(body)))).toThrow(MessagesRequestError);
  });
});

describe("chat completion -> Anthropic message", () => {
  const recordedMessage = fixtureJson<AnthropicMessage>("anthropic/messages-tool-use-parallel.json");

  it("translates a recorded text completion, with Anthropic's usage arithmetic", () => {
    const completion = fixtureJson<ChatCompletion>("openai/chat-completion-text.json");
    const message = chatCompletionToAnthropic(completion, usageOf(completion.usage), "claude-x");
    expect(message).toEqual({
      id: `msg_${completion.id.replace(/[^A-Za-z0-9]/g, "")}`,
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [{ type: "text", text: completion.choices[0]?.message.content }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 16, output_tokens: 363, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    // Every field we produce is one Anthropic itself sends.
    for (const key of Object.keys(message)) expect(recordedMessage).toHaveProperty(key);
    for (const key of Object.keys(message.usage)) expect(recordedMessage.usage).toHaveProperty(key);
  });

  it("translates recorded parallel tool calls into tool_use blocks", () => {
    const completion = fixtureJson<ChatCompletion>("openai/chat-completion-parallel-tool-calls.json");
    const message = chatCompletionToAnthropic(completion, usageOf(completion.usage), "claude-x");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      {
        type: "tool_use",
        id: "call_4vdw7IhqK4BaPeDpUqhAJrH4",
        name: "weather",
        input: { latitude: "52.5200", longitude: "13.4050" },
      },
      { type: "tool_use", id: "call_UZxiYeSq6gFg9tAHAdSmNHPQ", name: "best_language_to_learn", input: {} },
    ]);
    // Same block shape as Anthropic's own parallel tool use (minus its "caller" annotation).
    expect(message.content.map((block) => block.type)).toEqual(recordedMessage.content.map((block) => block.type));
    expect(message.usage).toMatchObject({ input_tokens: 113, output_tokens: 54 });
  });

  it("excludes cached prompt tokens from input_tokens (recorded cache hit) and never goes negative", () => {
    const completion = fixtureJson<ChatCompletion>("openai/chat-completion-prompt-cache-hit.json");
    const message = chatCompletionToAnthropic(completion, usageOf(completion.usage), "claude-x");
    expect(message.usage).toEqual({
      input_tokens: 2323 - 2176,
      output_tokens: 176,
      cache_read_input_tokens: 2176,
      cache_creation_input_tokens: 0,
    });
    const skewed = { ...noUsage, promptTokens: 10, cachedTokens: 8, cacheWriteTokens: 5, completionTokens: 3 };
    expect(chatCompletionToAnthropic(completion, skewed, "m").usage).toEqual({
      input_tokens: 0,
      output_tokens: 3,
      cache_read_input_tokens: 8,
      cache_creation_input_tokens: 5,
    });
  });

  it("puts reasoning first as a thinking block, keeps msg_ ids, maps finish reasons, tolerates bad arguments", () => {
    const completion = (message: Record<string, unknown>, finish_reason: string | null): ChatCompletion => ({
      id: "msg_upstream",
      object: "chat.completion",
      created: 0,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: null, ...message }, finish_reason }],
    });
    const thought = chatCompletionToAnthropic(
      completion({ reasoning_content: "Hmm.", content: "4" }, "stop"),
      noUsage,
      "m",
    );
    expect(thought.id).toBe("msg_upstream");
    expect(thought.content).toEqual([
      { type: "thinking", thinking: "Hmm.", signature: "" },
      { type: "text", text: "4" },
    ]);
    const broken = completion(
      { tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{not json" } }] },
      "stop",
    );
    const tool = chatCompletionToAnthropic(broken, noUsage, "m");
    expect(tool.content).toEqual([{ type: "tool_use", id: "c1", name: "f", input: {} }]);
    // Tool calls reported with "stop" still need "tool_use", or Anthropic clients will not run them.
    expect(tool.stop_reason).toBe("tool_use");
    const reasons = ["stop", "length", "tool_calls", "content_filter", null].map(
      (reason) => chatCompletionToAnthropic(completion({ content: "x" }, reason), noUsage, "m").stop_reason,
    );
    expect(reasons).toEqual(["end_turn", "max_tokens", "tool_use", "refusal", "end_turn"]);
  });
});

async function recordedChunks(path: string): Promise<ChatCompletionChunk[]> {
  return (await fixtureEvents(path))
    .filter((event) => event.data !== "[DONE]")
    .map((event) => JSON.parse(event.data) as ChatCompletionChunk);
}

/** Runs recorded OpenAI chunks through the encoder the way the front door will. */
async function encodeRecorded(
  path: string,
): Promise<{ chunks: ChatCompletionChunk[]; events: AnthropicStreamEvent[] }> {
  const chunks = await recordedChunks(path);
  const encoder = new AnthropicStreamEncoder({ messageId: "msg_test", model: "claude-x" });
  const events = encoder.start();
  let usage = noUsage;
  for (const chunk of chunks) {
    events.push(...encoder.chunk(chunk));
    if (chunk.usage) usage = usageOf(chunk.usage);
  }
  events.push(...encoder.finish(null, usage));
  return { chunks, events };
}

/** An event sequence's shape: types with block and delta kinds, runs of deltas collapsed, pings ignored. */
function shapeOf(events: AnthropicStreamEvent[]): string[] {
  const shape: string[] = [];
  for (const event of events) {
    let step: string = event.type;
    if (event.type === "ping") continue;
    if (event.type === "content_block_start") step += `:${event.content_block.type}`;
    if (event.type === "content_block_delta") step += `:${event.delta.type}`;
    if (shape.at(-1) !== step) shape.push(step);
  }
  return shape;
}

async function recordedAnthropicEvents(path: string): Promise<AnthropicStreamEvent[]> {
  return (await fixtureEvents(path)).map((event) => JSON.parse(event.data) as AnthropicStreamEvent);
}

/** Reads encoded events back through Anthropic's SDK stream helper, as a client would. */
function readWithSdk(events: AnthropicStreamEvent[]) {
  const body = events.map(encodeAnthropicEvent).join("");
  const client = new Anthropic({
    apiKey: "test",
    baseURL: "https://gateway.test",
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
  });
  return client.messages.stream({ model: "claude-x", max_tokens: 100, messages: [{ role: "user", content: "hi" }] });
}

const textOf = (events: AnthropicStreamEvent[]) =>
  events
    .map((event) => (event.type === "content_block_delta" && event.delta.type === "text_delta" ? event.delta.text : ""))
    .join("");

describe("chat chunks -> Anthropic stream", () => {
  it("encodes a recorded OpenAI text stream as Anthropic's text stream", async () => {
    const { chunks, events } = await encodeRecorded("openai/chat-stream-text-usage.sse");
    const types = events.map((event) => event.type);
    expect(types[0]).toBe("message_start");
    expect(types[1]).toBe("content_block_start");
    expect(types.slice(2, -3).every((type) => type === "content_block_delta")).toBe(true);
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    const streamed = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(streamed.length).toBeGreaterThan(0);
    expect(textOf(events)).toBe(streamed);
    expect(events.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 14, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 7 },
    });

    const recorded = await recordedAnthropicEvents("anthropic/stream-text.sse");
    expect(shapeOf(events)).toEqual(shapeOf(recorded));
    const [start] = events;
    const [recordedStart] = recorded;
    if (start?.type !== "message_start" || recordedStart?.type !== "message_start") throw new Error("no message_start");
    for (const key of Object.keys(start.message)) expect(recordedStart.message).toHaveProperty(key);
    const recordedDelta = recorded.find((event) => event.type === "message_delta");
    const delta = events.at(-2);
    if (recordedDelta?.type !== "message_delta" || delta?.type !== "message_delta") throw new Error("no message_delta");
    expect(Object.keys(delta.usage).sort()).toEqual(Object.keys(recordedDelta.usage).sort());
  });

  it("encodes a recorded OpenAI tool-call stream as Anthropic's tool_use stream", async () => {
    const { chunks, events } = await encodeRecorded("openai/chat-stream-tool-call.sse");
    expect(shapeOf(events)).toEqual(shapeOf(await recordedAnthropicEvents("anthropic/stream-tool-use.sse")));
    expect(events[1]).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "tool_use", id: "call_Ri18CzwNncOY61C3aLD9JKX1", name: "weather", input: {} },
    });
    const fragments = events.flatMap((event) =>
      event.type === "content_block_delta" && event.delta.type === "input_json_delta" ? [event.delta.partial_json] : [],
    );
    const streamedArguments = chunks
      .map((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "")
      .join("");
    expect(fragments.join("")).toBe(streamedArguments);
    expect(JSON.parse(fragments.join(""))).toEqual({ latitude: expect.any(String), longitude: expect.any(String) });
    expect(events.at(-2)).toMatchObject({
      delta: { stop_reason: "tool_use" },
      usage: { input_tokens: 88, output_tokens: 39 },
    });
  });

  it("encodes recorded reasoning (DeepSeek reasoning_content) like Anthropic's thinking stream", async () => {
    const { chunks, events } = await encodeRecorded("openai-compatible/deepseek/stream-reasoning.sse");
    expect(shapeOf(events)).toEqual(shapeOf(await recordedAnthropicEvents("anthropic/stream-thinking.sse")));
    const thought = chunks.map((chunk) => chunk.choices[0]?.delta.reasoning_content ?? "").join("");
    const final = await readWithSdk(events).finalMessage();
    expect(final.content).toEqual([
      { type: "thinking", thinking: thought, signature: "" },
      { type: "text", text: textOf(events) },
    ]);
    expect(final.usage).toMatchObject({ input_tokens: 6, output_tokens: 212 });
  });

  it("opens one tool_use block per call for Groq's whole-call chunks after `reasoning`", async () => {
    const { events } = await encodeRecorded("openai-compatible/groq/stream-tool-call-reasoning.sse");
    expect(shapeOf(events)).toEqual([
      "message_start",
      "content_block_start:thinking",
      "content_block_delta:thinking_delta",
      "content_block_delta:signature_delta",
      "content_block_stop",
      "content_block_start:tool_use",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const final = await readWithSdk(events).finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content[1]).toMatchObject({
      type: "tool_use",
      name: "get_something_by_name",
      input: { name: "example" },
    });
  });

  it("is accepted by Anthropic's SDK stream helper: final text, id, model, stop reason, tool input", async () => {
    const text = await encodeRecorded("openai/chat-stream-text-usage.sse");
    const textStream = readWithSdk(text.events);
    expect(await textStream.finalText()).toBe(textOf(text.events));
    const tool = await encodeRecorded("openai/chat-stream-tool-call.sse");
    const final = await readWithSdk(tool.events).finalMessage();
    expect(final).toMatchObject({ id: "msg_test", model: "claude-x", stop_reason: "tool_use" });
    const [block] = final.content;
    if (block?.type !== "tool_use") throw new Error("expected a tool_use block");
    expect(block).toMatchObject({ id: "call_Ri18CzwNncOY61C3aLD9JKX1", name: "weather" });
    expect(block.input).toEqual({ latitude: expect.any(String), longitude: expect.any(String) });
  });
});

describe("AnthropicStreamEncoder edge cases", () => {
  type Delta = ChatCompletionChunk["choices"][number]["delta"];
  // Real fragments omit fields (a later arguments piece has no id, type or name), which the chunk type's
  // tool_calls intersection does not allow for; the encoder reads them loosely.
  const chunkOf = (delta: Record<string, unknown>, finish_reason: string | null = null): ChatCompletionChunk => ({
    id: "c",
    object: "chat.completion.chunk",
    created: 0,
    model: "m",
    choices: [{ index: 0, delta: delta as Delta, finish_reason }],
  });

  it("reports known input usage at message_start and the chunks' finish reason when finish gets none", () => {
    const inputUsage = { ...noUsage, promptTokens: 100, cachedTokens: 60, cacheWriteTokens: 30 };
    const encoder = new AnthropicStreamEncoder({ messageId: "msg_1", model: "claude-x", inputUsage });
    const [start] = encoder.start();
    expect(start).toMatchObject({
      type: "message_start",
      message: {
        id: "msg_1",
        content: [],
        stop_reason: null,
        usage: { input_tokens: 10, cache_read_input_tokens: 60, cache_creation_input_tokens: 30 },
      },
    });
    expect(encoder.start()).toEqual([]);
    encoder.chunk(chunkOf({ content: "cut" }, "length"));
    expect(encoder.finish(null, noUsage)[1]).toMatchObject({
      type: "message_delta",
      delta: { stop_reason: "max_tokens" },
    });
    expect(encoder.finish("stop", noUsage)).toEqual([]);
  });

  it("gives parallel calls one block each, switching kinds closes the open block, late fragments keep their index", async () => {
    const encoder = new AnthropicStreamEncoder({ messageId: "msg_2", model: "claude-x" });
    const events = [
      ...encoder.chunk(chunkOf({ content: "Let me check." })),
      ...encoder.chunk(chunkOf({ tool_calls: [{ index: 0, id: "a", function: { name: "f", arguments: '{"x":' } }] })),
      ...encoder.chunk(chunkOf({ tool_calls: [{ index: 1, id: "b", function: { name: "g", arguments: '{"y":2}' } }] })),
      ...encoder.chunk(chunkOf({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }, "tool_calls")),
      ...encoder.finish(null, noUsage),
    ];
    expect(events.filter((event) => event.type === "content_block_start").map((event) => event.index)).toEqual([
      0, 1, 2,
    ]);
    expect(events.filter((event) => event.type === "content_block_stop").map((event) => event.index)).toEqual([
      0, 1, 2,
    ]);
    expect(events.at(-1)).toEqual({ type: "message_stop" });
    const final = await readWithSdk(events).finalMessage();
    expect(final.content).toEqual([
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "a", name: "f", input: { x: 1 } },
      { type: "tool_use", id: "b", name: "g", input: { y: 2 } },
    ]);
    expect(final.stop_reason).toBe("tool_use");
  });

  it("starts on its own, frames events as SSE, and ends a failed stream with an error event only", () => {
    const encoder = new AnthropicStreamEncoder({ messageId: "msg_3", model: "claude-x" });
    expect(encoder.chunk(chunkOf({ content: "a" })).map((event) => event.type)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
    ]);
    const error = encoder.error("overloaded_error", "Overloaded");
    expect(encodeAnthropicEvent(error)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    expect(encoder.chunk(chunkOf({ content: "b" }))).toEqual([]);
    expect(encoder.finish("stop", noUsage)).toEqual([]);
  });

  it("surfaces the error event as an error in Anthropic's SDK", async () => {
    const encoder = new AnthropicStreamEncoder({ messageId: "msg_5", model: "claude-x" });
    const events = [...encoder.chunk(chunkOf({ content: "par" })), encoder.error("overloaded_error", "Overloaded")];
    await expect(readWithSdk(events).finalMessage()).rejects.toMatchObject({ type: "overloaded_error" });
  });

  it("makes a complete empty message when the upstream sent nothing", () => {
    const events = new AnthropicStreamEncoder({ messageId: "msg_4", model: "claude-x" }).finish(null, noUsage);
    expect(events.map((event) => event.type)).toEqual(["message_start", "message_delta", "message_stop"]);
  });
});

describe("Anthropic error bodies", () => {
  it("maps HTTP statuses to Anthropic's error types", () => {
    const types = [400, 401, 402, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504, 529].map(
      (status) => anthropicErrorBody(status, "m").error.type,
    );
    expect(types).toEqual([
      "invalid_request_error",
      "authentication_error",
      "billing_error",
      "permission_error",
      "not_found_error",
      "invalid_request_error",
      "request_too_large",
      "invalid_request_error",
      "rate_limit_error",
      "api_error",
      "api_error",
      "api_error",
      "timeout_error",
      "overloaded_error",
    ]);
  });

  it("has the shape of Anthropic's recorded error bodies", () => {
    const recorded = fixtureJson<{ type: string; error: { type: string; message: string } }>(
      "anthropic/error-401-authentication-error.json",
    );
    expect(anthropicErrorBody(401, recorded.error.message)).toEqual({ type: recorded.type, error: recorded.error });
  });
});
