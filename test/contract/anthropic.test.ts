// The native Anthropic adapter against recorded Messages API payloads (../shared/fixtures/upstream/anthropic).
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anthropicAdapter } from "../../src/providers/anthropic";
import type {
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicStreamEvent,
  AnthropicToolUseBlock,
} from "../../src/providers/anthropic/wire-types";
import type { ChatCompletionChunk, ChatRequest } from "../../src/providers/openai-types";
import type { StreamPart } from "../../src/providers/types";
import { fixtureEvents, fixtureJson, fixturesRoot, fixtureText } from "./fixtures";

const fixtureNames = readdirSync(new URL("anthropic/", fixturesRoot));
const messageFixtures = fixtureNames.filter((name) => /^messages-.*(?<!\.meta)\.json$/.test(name));
const streamFixtures = fixtureNames.filter((name) => /^stream-.*\.sse$/.test(name));

const settings = { apiKey: "sk-ant-test", baseUrl: "https://api.anthropic.com/v1/" };

/** The Anthropic body the adapter would send for an OpenAI request. */
function anthropicBody(request: Partial<ChatRequest>): AnthropicMessagesRequest {
  const chatRequest: ChatRequest = { model: "claude-haiku-4-5", messages: [], ...request };
  return JSON.parse(anthropicAdapter.buildRequest(chatRequest, settings).body ?? "");
}

/** The request body recorded beside a fixture. */
function recordedRequest(metaPath: string): AnthropicMessagesRequest {
  return JSON.parse(fixtureJson<{ request: { body: string } }>(`anthropic/${metaPath}`).request.body);
}

const recordedStatus = (metaPath: string) =>
  fixtureJson<{ response: { status: number } }>(`anthropic/${metaPath}`).response.status;

async function streamOf(name: string) {
  const events = await fixtureEvents(`anthropic/${name}`);
  const transformer = anthropicAdapter.createStreamTransformer({ model: "claude", messages: [], stream: true });
  const parts = events.flatMap((event) => transformer.transform(event));
  const upstream: AnthropicStreamEvent[] = events.map((event) => JSON.parse(event.data));
  const chunks = parts.flatMap((part) => (part.type === "chunk" ? [part.chunk] : []));
  return { events, upstream, parts, chunks };
}

const deltasOf = (chunks: ChatCompletionChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta ?? {});

/** What the stream's own deltas say, to compare the transformed chunks with. */
function upstreamDeltas(events: AnthropicStreamEvent[]) {
  let text = "";
  let thinking = "";
  let json = "";
  for (const event of events) {
    if (event.type !== "content_block_delta") continue;
    if (event.delta.type === "text_delta") text += event.delta.text;
    if (event.delta.type === "thinking_delta") thinking += event.delta.thinking;
    if (event.delta.type === "input_json_delta") json += event.delta.partial_json;
  }
  return { text, thinking, json };
}

describe("Anthropic adapter: requests", () => {
  it("posts to /messages with Anthropic's auth and version headers", () => {
    const call = anthropicAdapter.buildRequest({ model: "m", messages: [], stream: true }, settings);
    expect(call.url).toBe("https://api.anthropic.com/v1/messages");
    expect(call.method).toBe("POST");
    expect(call.headers).toMatchObject({
      "x-api-key": "sk-ant-test",
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
      accept: "text/event-stream",
    });
    expect(call.headers).not.toHaveProperty("authorization");
  });

  const cacheText = { type: "text", text: "<MASSIVE_TEXT_FOR_PROMPT_CACHING>\n\nCount from 1 to 3" };
  const cachedPart = { ...cacheText, cache_control: { type: "ephemeral" } };
  // Recorded prompts of one user text block, which is also a valid OpenAI text part.
  const recordedTurns = (recorded: AnthropicMessagesRequest) => recorded.messages.map((message) => ({ ...message }));
  // The OpenAI request that should produce each recorded Anthropic request body.
  it.each<[string, (recorded: AnthropicMessagesRequest) => Partial<ChatRequest>]>([
    ["messages-text.meta.json", () => ({ messages: [{ role: "user", content: "What's 2 + 2?" }], max_tokens: 64000 })],
    [
      "stream-prompt-cache-write.meta.json",
      () => ({ stream: true, max_tokens: 8192, temperature: 0.7, messages: [{ role: "user", content: [cachedPart] }] }),
    ],
    [
      "stream-prompt-cache-read.meta.json",
      () => ({
        stream: true,
        max_completion_tokens: 8192,
        temperature: 0.7,
        messages: [
          { role: "user", content: cacheText.text },
          { role: "assistant", content: "Here's counting from 1 to 3:\n\n1\n2\n3" },
          { role: "user", content: [cachedPart] },
        ],
      }),
    ],
    [
      "stream-thinking.meta.json",
      (recorded) => ({
        stream: true,
        max_tokens: 64000,
        thinking: recorded.thinking,
        messages: recordedTurns(recorded),
      }),
    ],
    [
      "messages-thinking-summarized.meta.json",
      (recorded) => ({ max_tokens: 128000, thinking: recorded.thinking, messages: recordedTurns(recorded) }),
    ],
  ])("reproduces the request body recorded in %s", (metaPath, openAiRequest) => {
    const recorded = recordedRequest(metaPath);
    expect(anthropicBody({ model: recorded.model, ...openAiRequest(recorded) })).toEqual(recorded);
  });

  it("maps OpenAI function tools to the recorded Anthropic tools", () => {
    const recorded = recordedRequest("messages-tool-use-parallel.meta.json");
    const tools = (recorded.tools ?? []).map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.input_schema },
    }));
    const prompt = "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?";
    const body = anthropicBody({
      model: recorded.model,
      max_tokens: 64000,
      tools,
      messages: [{ role: "user", content: prompt }],
    });
    expect(body).toEqual(recorded);
  });

  it("hoists system and developer messages into the top-level system prompt", () => {
    const one = anthropicBody({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
      ],
    });
    expect(one.system).toBe("Be brief.");
    expect(one.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
    const two = anthropicBody({
      messages: [
        { role: "system", content: [{ type: "text", text: "Rules.", cache_control: { type: "ephemeral" } }] },
        { role: "user", content: "hi" },
        { role: "developer", content: "Answer in French." },
      ],
    });
    expect(two.system).toEqual([
      { type: "text", text: "Rules.", cache_control: { type: "ephemeral" } },
      { type: "text", text: "Answer in French." },
    ]);
    expect(two.messages).toHaveLength(1);
  });

  it("turns tool calls into tool_use and merges consecutive tool results into one user turn", () => {
    const body = anthropicBody({
      messages: [
        { role: "user", content: "Weather in Berlin and Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "toolu_1", type: "function", function: { name: "weather", arguments: '{"city":"Berlin"}' } },
            { id: "toolu_2", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "toolu_1", content: "12°C" },
        { role: "tool", tool_call_id: "toolu_2", content: [{ type: "text", text: "15°C" }] },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(body.messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(body.messages[1]?.content).toEqual([
      { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Berlin" } },
      { type: "tool_use", id: "toolu_2", name: "weather", input: { city: "Paris" } },
    ]);
    expect(body.messages[2]?.content).toEqual([
      { type: "tool_result", tool_use_id: "toolu_1", content: "12°C" },
      { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "15°C" }] },
      { type: "text", text: "Thanks" },
    ]);
  });

  it("merges consecutive same-role messages so roles alternate", () => {
    const body = anthropicBody({
      messages: [
        { role: "user", content: "one" },
        { role: "user", content: [{ type: "text", text: "two" }] },
        { role: "assistant", content: "three" },
        { role: "assistant", content: "four" },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "two" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "three" },
          { type: "text", text: "four" },
        ],
      },
    ]);
  });

  it("sends data: URL images inline as base64 and http(s) images by URL", () => {
    const body = anthropicBody({
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "low" } },
            { type: "image_url", image_url: { url: "data:image/svg+xml,%3Csvg%2F%3E" } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      { type: "image", source: { type: "base64", media_type: "image/svg+xml", data: btoa("<svg/>") } },
    ]);
  });

  it.each([
    ["auto", true, { type: "auto" }],
    ["required", true, { type: "any" }],
    ["none", true, { type: "none" }],
    [{ type: "function", function: { name: "weather" } }, true, { type: "tool", name: "weather" }],
    ["required", false, { type: "any", disable_parallel_tool_use: true }],
    [undefined, false, { type: "auto", disable_parallel_tool_use: true }],
    [undefined, true, undefined],
  ] as const)("maps tool_choice %j (parallel_tool_calls %s)", (toolChoice, parallel, expected) => {
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }];
    const body = anthropicBody({ messages: [], tools, tool_choice: toolChoice, parallel_tool_calls: parallel });
    expect(body.tool_choice).toEqual(expected);
    expect(anthropicBody({ messages: [], tool_choice: toolChoice })).not.toHaveProperty("tool_choice");
  });

  it("defaults max_tokens, maps stop and user, and passes sampling settings", () => {
    expect(anthropicBody({ messages: [] }).max_tokens).toBe(4096);
    expect(anthropicBody({ messages: [], max_completion_tokens: 300 }).max_tokens).toBe(300);
    expect(anthropicBody({ messages: [], max_tokens: 100, max_completion_tokens: 300 }).max_tokens).toBe(100);
    expect(anthropicBody({ messages: [], stop: "END" }).stop_sequences).toEqual(["END"]);
    const body = anthropicBody({ messages: [], stop: ["a", "b"], top_p: 0.9, user: "user-42" });
    expect(body).toMatchObject({ stop_sequences: ["a", "b"], top_p: 0.9, metadata: { user_id: "user-42" } });
    expect(body).not.toHaveProperty("temperature");
  });
});

describe("Anthropic adapter: completions", () => {
  it.each(messageFixtures)("%s", (name) => {
    const message = fixtureJson<AnthropicMessage>(`anthropic/${name}`);
    const { completion, usage } = anthropicAdapter.parseCompletion(message);
    const choice = completion.choices[0];
    expect(completion).toMatchObject({ id: message.id, object: "chat.completion", model: message.model });
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(5);
    const text = message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
    expect(choice?.message.content).toBe(text || null);
    expect(choice?.finish_reason).toBe(message.stop_reason === "tool_use" ? "tool_calls" : "stop");
    const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens } = message.usage;
    expect(usage?.promptTokens).toBe(
      input_tokens + (cache_read_input_tokens ?? 0) + (cache_creation_input_tokens ?? 0),
    );
    expect(usage?.completionTokens).toBe(output_tokens);
  });

  it("turns parallel tool_use blocks into tool_calls with JSON arguments", () => {
    const message = fixtureJson<AnthropicMessage>("anthropic/messages-tool-use-parallel.json");
    const { completion } = anthropicAdapter.parseCompletion(message);
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    const blocks = message.content.filter((block): block is AnthropicToolUseBlock => block.type === "tool_use");
    expect(calls).toHaveLength(2);
    expect(calls.map((call) => [call.id, call.type, call.function.name, JSON.parse(call.function.arguments)])).toEqual(
      blocks.map((block) => [block.id, "function", block.name, block.input]),
    );
    expect(JSON.parse(calls[1]?.function.arguments ?? "")).toEqual({});
  });

  it("puts thinking blocks into reasoning_content and reads thinking tokens", () => {
    for (const name of ["messages-thinking.json", "messages-thinking-summarized.json"]) {
      const message = fixtureJson<AnthropicMessage>(`anthropic/${name}`);
      const thinking = message.content.find((block) => block.type === "thinking");
      const { completion } = anthropicAdapter.parseCompletion(message);
      expect(thinking?.type === "thinking" && thinking.thinking.length).toBeGreaterThan(0);
      expect(completion.choices[0]?.message.reasoning_content, name).toBe(
        thinking?.type === "thinking" ? thinking.thinking : undefined,
      );
    }
    const summarized = anthropicAdapter.parseCompletion(fixtureJson("anthropic/messages-thinking-summarized.json"));
    expect(summarized.usage).toMatchObject({ completionTokens: 626, reasoningTokens: 170 });
  });

  it("counts cache reads and writes as prompt tokens", () => {
    const read = anthropicAdapter.parseCompletion(fixtureJson("anthropic/messages-prompt-cache-read.json"));
    expect(read.usage).toEqual({
      promptTokens: 7361,
      completionTokens: 4,
      cachedTokens: 7351,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    const write = anthropicAdapter.parseCompletion(fixtureJson("anthropic/messages-prompt-cache-write.json"));
    expect(write.usage).toMatchObject({ promptTokens: 7361, cachedTokens: 0, cacheWriteTokens: 7351 });
  });

  it("rejects a body that is not a message", () => {
    expect(() =>
      anthropicAdapter.parseCompletion(fixtureJson("anthropic/error-401-authentication-error.json")),
    ).toThrow(TypeError);
  });
});

describe("Anthropic adapter: streams", () => {
  it.each(streamFixtures)("%s", async (name) => {
    const { upstream, parts, chunks } = await streamOf(name);
    const start = upstream.find((event) => event.type === "message_start");
    const end = upstream.find((event) => event.type === "message_delta");
    if (start?.type !== "message_start" || end?.type !== "message_delta") throw new Error(`${name}: incomplete`);

    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: start.message.id,
        object: "chat.completion.chunk",
        model: start.message.model,
      });
    }
    expect(parts.some((part) => part.type === "chunk" && part.usageOnly)).toBe(false);
    expect(deltasOf(chunks)[0]).toEqual({ role: "assistant", content: "" });

    const deltas = deltasOf(chunks);
    const expected = upstreamDeltas(upstream);
    expect(deltas.map((delta) => delta.content ?? "").join("")).toBe(expected.text);
    expect(deltas.map((delta) => delta.reasoning_content ?? "").join("")).toBe(expected.thinking);

    const finishes = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason).filter(Boolean));
    expect(finishes).toEqual([end.delta.stop_reason === "tool_use" ? "tool_calls" : "stop"]);

    const usageParts = parts.filter((part): part is Extract<StreamPart, { type: "usage" }> => part.type === "usage");
    expect(usageParts).toHaveLength(1);
    const startUsage = start.message.usage;
    const cacheRead = end.usage.cache_read_input_tokens ?? startUsage.cache_read_input_tokens ?? 0;
    const cacheWrite = end.usage.cache_creation_input_tokens ?? startUsage.cache_creation_input_tokens ?? 0;
    expect(usageParts[0]?.usage).toMatchObject({
      promptTokens: (end.usage.input_tokens ?? startUsage.input_tokens) + cacheRead + cacheWrite,
      completionTokens: end.usage.output_tokens,
      cachedTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
    });
    expect(parts.at(-1)).toEqual({ type: "done" });
  });

  it("reads cache counts from message_start when message_delta carries only output_tokens", async () => {
    const write = await streamOf("stream-prompt-cache-write.sse");
    expect(write.parts.find((part) => part.type === "usage")).toEqual({
      type: "usage",
      usage: { promptTokens: 2748, completionTokens: 20, cachedTokens: 0, cacheWriteTokens: 2744, reasoningTokens: 0 },
    });
    const read = await streamOf("stream-prompt-cache-read.sse");
    expect(read.parts.find((part) => part.type === "usage")).toMatchObject({
      usage: { promptTokens: 4 + 2764 + 2744, cachedTokens: 2744, cacheWriteTokens: 2764 },
    });
  });

  it("streams a tool call as an OpenAI tool_calls start delta plus argument fragments", async () => {
    const { upstream, chunks } = await streamOf("stream-tool-use.sse");
    const calls = deltasOf(chunks).flatMap((delta) => delta.tool_calls ?? []);
    const start = upstream.find((event) => event.type === "content_block_start");
    const block = start?.type === "content_block_start" ? start.content_block : undefined;
    if (block?.type !== "tool_use") throw new Error("the recording starts with a tool_use block");
    expect(calls[0]).toEqual({
      index: 0,
      id: block.id,
      type: "function",
      function: { name: "weather", arguments: "" },
    });
    expect(calls.every((call) => call.index === 0)).toBe(true);
    const args = calls.map((call) => call.function?.arguments ?? "").join("");
    expect(args).toBe(upstreamDeltas(upstream).json);
    expect(JSON.parse(args)).toEqual({ latitude: "52.5200", longitude: "13.4050" });
  });

  it("streams thinking as reasoning_content and reads thinking tokens", async () => {
    const { parts, chunks } = await streamOf("stream-thinking.sse");
    const reasoning = deltasOf(chunks).map((delta) => delta.reasoning_content ?? "");
    expect(reasoning.join("")).toMatch(/^This is a clever paradox question/);
    expect(parts.find((part) => part.type === "usage")).toMatchObject({
      usage: { promptTokens: 80, completionTokens: 638, reasoningTokens: 353 },
    });
  });

  it("ignores ping events", async () => {
    const { events } = await streamOf("stream-text.sse");
    const ping = events.find((event) => event.event === "ping");
    expect(ping).toBeDefined();
    if (ping)
      expect(anthropicAdapter.createStreamTransformer({ model: "m", messages: [] }).transform(ping)).toEqual([]);
  });

  it("turns an error event into an error part", () => {
    const transformer = anthropicAdapter.createStreamTransformer({ model: "m", messages: [] });
    // A mid-stream error event carries the same body as an HTTP error; the recorded one stands in.
    const data = fixtureText("anthropic/error-400-prompt-too-long.json");
    expect(transformer.transform({ event: "error", data, id: undefined })).toEqual([
      {
        type: "error",
        error: {
          status: 502,
          code: "invalid_request_error",
          message: expect.stringMatching(/^prompt is too long/),
          param: null,
        },
      },
    ]);
    // No overloaded_error body was recorded; only its documented type name differs from the recording.
    const overloaded = JSON.stringify({
      ...JSON.parse(data),
      error: { type: "overloaded_error", message: "Overloaded" },
    });
    expect(transformer.transform({ event: "error", data: overloaded, id: undefined })[0]).toMatchObject({
      error: { status: 529, code: "overloaded_error" },
    });
    expect(transformer.transform({ event: "message_start", data: "{not json", id: undefined })[0]).toMatchObject({
      type: "error",
      error: { status: 502 },
    });
  });
});

describe("Anthropic adapter: errors", () => {
  it.each([
    ["error-401-authentication-error", "authentication_error", "invalid x-api-key"],
    ["error-400-prompt-too-long", "invalid_request_error", "prompt is too long: 3333404 tokens > 200000 maximum"],
  ])("%s", (name, code, message) => {
    const status = recordedStatus(`${name}.meta.json`);
    const text = fixtureText(`anthropic/${name}.json`);
    const error = anthropicAdapter.parseError(status, text, new Headers({ "retry-after": "7" }));
    expect(error).toEqual({ status, code, message, param: null, retryAfterSeconds: 7 });
  });

  it("falls back to the raw text of a non-JSON body", () => {
    const error = anthropicAdapter.parseError(502, "upstream connect error", new Headers());
    expect(error).toMatchObject({ status: 502, message: "upstream connect error", code: null });
    expect(error.retryAfterSeconds).toBeUndefined();
  });
});
