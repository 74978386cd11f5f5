// The Google Gemini adapter against recorded generateContent / streamGenerateContent payloads.
import { describe, expect, it } from "vitest";
import { googleAdapter } from "../../src/providers/google";
import type {
  GeminiGenerateContentRequest,
  GeminiGenerateContentResponse,
  GeminiUsageMetadata,
} from "../../src/providers/google/wire-types";
import type { ChatCompletionChunk, ChatRequest } from "../../src/providers/openai-types";
import type { TokenUsage } from "../../src/providers/types";
import { fixtureEvents, fixtureJson, fixtureText } from "./fixtures";

interface RecordedExchange {
  request: { url: string; body: string };
  response: { status: number };
}

const settings = { apiKey: "test-key", baseUrl: "https://generativelanguage.googleapis.com/v1beta" };
const streamRequest: ChatRequest = { model: "gemini-2.5-flash", messages: [], stream: true };
const recorded = (name: string) => fixtureJson<RecordedExchange>(`google/${name}.meta.json`);
const recordedBody = (name: string) => JSON.parse(recorded(name).request.body) as GeminiGenerateContentRequest;
const geminiBody = (request: ChatRequest) =>
  JSON.parse(googleAdapter.buildRequest(request, settings).body ?? "") as GeminiGenerateContentRequest;

/** The text parts of a response's first candidate: the answer, or the thought summaries. */
function textOf(response: GeminiGenerateContentResponse, thoughts: boolean): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => ((part.thought === true) === thoughts ? (part.text ?? "") : "")).join("");
}

/** What the usage should be, worked out by hand from Gemini's counting rules. */
function expectedUsage(metadata: GeminiUsageMetadata | undefined): TokenUsage {
  const thoughts = metadata?.thoughtsTokenCount ?? 0;
  return {
    promptTokens: metadata?.promptTokenCount ?? 0,
    completionTokens: (metadata?.candidatesTokenCount ?? 0) + thoughts,
    cachedTokens: metadata?.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

/** The request body of one interaction of a VCR cassette (a single-quoted YAML scalar, folded). */
function cassetteRequestBody(path: string, interaction: number): GeminiGenerateContentRequest {
  const block = fixtureText(path).split("\n- request:\n")[interaction + 1] ?? "";
  const scalar = /\n {6}string: '((?:[^']|'')*)'\n/.exec(block)?.[1] ?? "";
  return JSON.parse(scalar.replace(/[ \t]*\n[ \t]*/g, " ").replaceAll("''", "'"));
}

describe("Google adapter: completions", () => {
  it.each([
    "generate-content-text",
    "generate-content-thoughts-tokens",
    "generate-content-thinking-parts",
    "generate-content-function-calls",
    "generate-content-implicit-cache",
    "generate-content-explicit-cache",
  ])("%s", (name) => {
    const body = fixtureJson<GeminiGenerateContentResponse>(`google/${name}.json`);
    const { completion, usage } = googleAdapter.parseCompletion(body);
    expect(completion.id).toBe(body.responseId);
    expect(completion.model).toBe(body.modelVersion);
    expect(completion.choices).toHaveLength(body.candidates?.length ?? 0);
    expect(completion.choices[0]?.message.content).toBe(textOf(body, false) || null);
    expect(completion.choices[0]?.finish_reason).toBe(name.endsWith("function-calls") ? "tool_calls" : "stop");
    expect(usage).toEqual(expectedUsage(body.usageMetadata));
    // Gemini's total is prompt + candidates + thoughts, so nothing was counted twice or dropped.
    expect((usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0)).toBe(body.usageMetadata?.totalTokenCount);
    expect(completion.usage?.total_tokens).toBe(body.usageMetadata?.totalTokenCount);
  });

  it("turns parallel function calls into tool calls with JSON arguments and keeps the thought signature", () => {
    const body = fixtureJson<GeminiGenerateContentResponse>("google/generate-content-function-calls.json");
    const parts = body.candidates?.[0]?.content?.parts ?? [];
    const { completion } = googleAdapter.parseCompletion(body);
    const message = completion.choices[0]?.message;
    expect(message?.content).toBeNull();
    const toolCalls = message?.tool_calls ?? [];
    expect(toolCalls.map((call) => call.function.name)).toEqual(["weather", "best_language_to_learn"]);
    expect(toolCalls.map((call) => JSON.parse(call.function.arguments))).toEqual(
      parts.map((part) => part.functionCall?.args),
    );
    expect(toolCalls.every((call) => call.type === "function" && /^call_\w+$/.test(call.id))).toBe(true);
    expect(new Set(toolCalls.map((call) => call.id)).size).toBe(2);
    expect(toolCalls[0]).toMatchObject({
      extra_content: { google: { thought_signature: parts[0]?.thoughtSignature } },
    });
    expect(toolCalls[1]).not.toHaveProperty("extra_content");
  });

  it("puts thought summaries in reasoning_content, apart from the answer", () => {
    const body = fixtureJson<GeminiGenerateContentResponse>("google/generate-content-thinking-parts.json");
    const message = googleAdapter.parseCompletion(body).completion.choices[0]?.message;
    expect(message?.reasoning_content).toBe(textOf(body, true));
    expect(message?.reasoning_content).toMatch(/^\*\*The Mirror's Paradox/);
    expect(message?.content).toBe(textOf(body, false));
    expect(message?.content).not.toContain("The Mirror's Paradox: Unveiling");
  });

  it("reads reasoning and cached tokens", () => {
    const parse = (name: string) => googleAdapter.parseCompletion(fixtureJson(`google/${name}.json`)).usage;
    expect(parse("generate-content-thoughts-tokens")).toMatchObject({
      completionTokens: 65 + 110,
      reasoningTokens: 110,
    });
    expect(parse("generate-content-implicit-cache")).toMatchObject({ promptTokens: 2572, cachedTokens: 2030 });
    expect(parse("generate-content-explicit-cache")).toMatchObject({ promptTokens: 9622, cachedTokens: 9609 });
  });

  it("refuses a body that is not a GenerateContentResponse", () => {
    expect(() => googleAdapter.parseCompletion(fixtureJson("google/cached-content-create.json"))).toThrow(TypeError);
  });
});

describe("Google adapter: streams", () => {
  async function streamOf(name: string) {
    const events = await fixtureEvents(`google/${name}.sse`);
    const transformer = googleAdapter.createStreamTransformer(streamRequest);
    const parts = events.flatMap((event) => transformer.transform(event));
    const chunks = parts.flatMap((part) => (part.type === "chunk" && !part.usageOnly ? [part.chunk] : []));
    const fragments = events.map((event) => JSON.parse(event.data) as GeminiGenerateContentResponse);
    return { parts, chunks, fragments };
  }
  const deltas = (chunks: ChatCompletionChunk[]) => chunks.flatMap((chunk) => chunk.choices.map((c) => c.delta));

  it.each(["stream-text", "stream-thoughts-tokens", "stream-thinking-parts", "stream-function-call"])(
    "%s",
    async (name) => {
      const { parts, chunks, fragments } = await streamOf(name);
      expect(fragments.length).toBeGreaterThan(0);
      const content = deltas(chunks).map((delta) => delta.content ?? "");
      const reasoning = deltas(chunks).map((delta) => delta.reasoning_content ?? "");
      expect(content.join("")).toBe(fragments.map((fragment) => textOf(fragment, false)).join(""));
      expect(reasoning.join("")).toBe(fragments.map((fragment) => textOf(fragment, true)).join(""));
      expect(deltas(chunks)[0]?.role).toBe("assistant");
      expect(deltas(chunks).filter((delta) => delta.role !== undefined)).toHaveLength(1);
      expect(chunks.every((chunk) => chunk.id === fragments[0]?.responseId)).toBe(true);
      expect(chunks.flatMap((chunk) => chunk.choices.filter((c) => c.finish_reason !== null))).toHaveLength(1);

      const usageParts = parts.filter((part) => part.type === "usage");
      expect(usageParts).toEqual([{ type: "usage", usage: expectedUsage(fragments.at(-1)?.usageMetadata) }]);
      const usageChunk = parts.at(-1);
      expect(usageChunk?.type === "chunk" && usageChunk.usageOnly && usageChunk.chunk).toMatchObject({
        choices: [],
        usage: { total_tokens: fragments.at(-1)?.usageMetadata?.totalTokenCount },
      });
      expect(parts.some((part) => part.type === "done" || part.type === "error")).toBe(false);
    },
  );

  it("reports usage once, from the last fragment, though every fragment repeats it", async () => {
    const { parts, fragments } = await streamOf("stream-thoughts-tokens");
    expect(fragments.every((fragment) => fragment.usageMetadata)).toBe(true);
    const usage = parts.flatMap((part) => (part.type === "usage" ? [part.usage] : []));
    expect(usage).toEqual([expect.objectContaining({ completionTokens: 71 + 137, reasoningTokens: 137 })]);
  });

  it("streams thought summaries before the answer", async () => {
    const { chunks } = await streamOf("stream-thinking-parts");
    const all = deltas(chunks);
    const lastThought = all.findLastIndex((delta) => delta.reasoning_content);
    const firstAnswer = all.findIndex((delta) => delta.content);
    expect(lastThought).toBeGreaterThanOrEqual(0);
    expect(firstAnswer).toBeGreaterThan(lastThought);
  });

  it("streams a whole function call as one tool-call delta", async () => {
    const { chunks, fragments } = await streamOf("stream-function-call");
    const recordedPart = fragments[0]?.candidates?.[0]?.content?.parts?.[0];
    const toolCalls = deltas(chunks).flatMap((delta) => delta.tool_calls ?? []);
    expect(toolCalls).toHaveLength(1);
    expect(toolCalls[0]).toMatchObject({
      index: 0,
      type: "function",
      function: { name: "weather" },
      extra_content: { google: { thought_signature: recordedPart?.thoughtSignature } },
    });
    expect(JSON.parse(toolCalls[0]?.function?.arguments ?? "")).toEqual(recordedPart?.functionCall?.args);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("turns an error payload into an error part, and unreadable data into a 502", () => {
    const transformer = googleAdapter.createStreamTransformer(streamRequest);
    const [error] = transformer.transform({ data: fixtureText("google/error-429-resource-exhausted.json") });
    expect(error).toMatchObject({ type: "error", error: { status: 429, code: "RESOURCE_EXHAUSTED" } });
    const [malformed] = transformer.transform({ data: "{not json" });
    expect(malformed).toMatchObject({ type: "error", error: { status: 502 } });
  });
});

describe("Google adapter: errors", () => {
  it("reads the 400 for an invalid API key as our credentials failing (401)", () => {
    const { status } = recorded("error-400-api-key-invalid").response;
    expect(status).toBe(400);
    const body = fixtureText("google/error-400-api-key-invalid.json");
    const error = googleAdapter.parseError(status, body, new Headers());
    expect(error).toMatchObject({ status: 401, code: "INVALID_ARGUMENT", param: null, retryAfterSeconds: undefined });
    expect(error.message).toBe("API key not valid. Please pass a valid API key.");
  });

  it("reads RESOURCE_EXHAUSTED and its RetryInfo delay, which wins over Retry-After", () => {
    const { status } = recorded("error-429-resource-exhausted").response;
    const body = fixtureText("google/error-429-resource-exhausted.json");
    const error = googleAdapter.parseError(status, body, new Headers({ "retry-after": "7" }));
    expect(error).toMatchObject({ status: 429, code: "RESOURCE_EXHAUSTED", retryAfterSeconds: 48 });
    expect(error.message).toMatch(/^You exceeded your current quota/);
  });

  it("falls back to Retry-After, and to the raw text of a body that is not JSON", () => {
    const body = fixtureText("google/error-400-api-key-invalid.json");
    expect(googleAdapter.parseError(400, body, new Headers({ "retry-after": "7" })).retryAfterSeconds).toBe(7);
    expect(googleAdapter.parseError(502, "Bad Gateway", new Headers())).toMatchObject({
      message: "Bad Gateway",
      code: null,
    });
  });
});

describe("Google adapter: requests", () => {
  const userText = (body: GeminiGenerateContentRequest, turn = 0) => body.contents[turn]?.parts[0]?.text ?? "";
  const toolsOf = (body: GeminiGenerateContentRequest) =>
    (body.tools?.[0]?.functionDeclarations ?? []).map((declaration) => ({ type: "function", function: declaration }));

  it.each([
    ["generate-content-text", false],
    ["generate-content-thoughts-tokens", false],
    ["stream-text", true],
  ] as const)("rebuilds the recorded request of %s", (name, stream) => {
    const expected = recordedBody(name);
    const request: ChatRequest = {
      model: "models/gemini-2.5-flash",
      messages: [{ role: "user", content: userText(expected) }],
      stream,
    };
    const built = googleAdapter.buildRequest(request, { ...settings, baseUrl: `${settings.baseUrl}/` });
    expect(built.url).toBe(recorded(name).request.url);
    expect(built.headers).toMatchObject({ "x-goog-api-key": "test-key", "content-type": "application/json" });
    expect(JSON.parse(built.body ?? "")).toEqual(expected);
  });

  it("rebuilds the recorded requests with temperature and with tools", () => {
    const cached = recordedBody("generate-content-implicit-cache");
    const messages = [{ role: "user", content: userText(cached) }];
    expect(geminiBody({ model: "gemini-2.5-flash", messages, temperature: 0.7 })).toEqual(cached);
    for (const name of ["generate-content-function-calls", "stream-function-call"]) {
      const expected = recordedBody(name);
      const request = { model: "gemini-2.5-flash", messages: [{ role: "user", content: userText(expected) }] };
      expect(geminiBody({ ...request, tools: toolsOf(expected) }), name).toEqual(expected);
    }
  });

  it("replays a streamed function call and its result as the recorded follow-up request", async () => {
    // The recorded conversation: the tool call streamed in stream-function-call.sse, then the answer
    // to it, sent as interaction #1 of the same cassette.
    const cassette =
      "google/_original/rubyllm-fb5a49bf__chat_function_calling_gemini_gemini-2_5-flash_can_use_tools_with_multi-turn_streaming_conversations.yml";
    const expected = cassetteRequestBody(cassette, 1);
    const transformer = googleAdapter.createStreamTransformer(streamRequest);
    const events = await fixtureEvents("google/stream-function-call.sse");
    const toolCalls = events
      .flatMap((event) => transformer.transform(event))
      .flatMap((part) => (part.type === "chunk" ? part.chunk.choices : []))
      .flatMap((choice) => choice.delta.tool_calls ?? [])
      .map(({ index: _index, ...toolCall }) => toolCall);
    const result = expected.contents[2]?.parts[0]?.functionResponse?.response;
    const request: ChatRequest = {
      model: "gemini-2.5-flash",
      stream: true,
      messages: [
        { role: "user", content: userText(expected) },
        { role: "assistant", content: null, tool_calls: toolCalls },
        { role: "tool", tool_call_id: toolCalls[0]?.id, content: JSON.stringify(result) },
      ],
      tools: toolsOf(expected),
    };
    expect(expected.contents[1]?.parts[0]?.thoughtSignature).toBeTruthy();
    expect(geminiBody(request)).toEqual(expected);
  });

  it("moves system text to systemInstruction and maps roles, images and tool answers", () => {
    const body = geminiBody({
      model: "gemini-2.5-flash",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in English." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "What is in these?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.test/photos/cat.webp?size=large" } },
            { type: "image_url", image_url: { url: "https://example.test/photos/raw" } },
          ],
        },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_a", type: "function", function: { name: "lookup", arguments: '{"q":"cat"}' } },
            { id: "call_b", type: "function", function: { name: "weather", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_a", content: '{"animal":"cat"}' },
        { role: "tool", tool_call_id: "call_b", content: "sunny" },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(body.systemInstruction).toEqual({ parts: [{ text: "Be brief." }, { text: "Answer in English." }] });
    expect(body.contents.map((content) => content.role)).toEqual(["user", "model", "user", "user"]);
    expect(body.contents[0]?.parts).toEqual([
      { text: "What is in these?" },
      { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
      { fileData: { mimeType: "image/webp", fileUri: "https://example.test/photos/cat.webp?size=large" } },
      { fileData: { mimeType: "image/jpeg", fileUri: "https://example.test/photos/raw" } },
    ]);
    expect(body.contents[1]?.parts).toEqual([
      { text: "Checking." },
      { functionCall: { name: "lookup", args: { q: "cat" } } },
      { functionCall: { name: "weather", args: {} } },
    ]);
    // Both answers in one turn, named after the calls they answer.
    expect(body.contents[2]?.parts).toEqual([
      { functionResponse: { name: "lookup", response: { animal: "cat" } } },
      { functionResponse: { name: "weather", response: { content: "sunny" } } },
    ]);
    expect(body).not.toHaveProperty("tools");
  });

  it("maps tool_choice to functionCallingConfig", () => {
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: {} } } }];
    const configFor = (toolChoice: unknown) =>
      geminiBody({ model: "m", messages: [{ role: "user", content: "hi" }], tools, tool_choice: toolChoice })
        .toolConfig;
    expect(configFor("auto")).toEqual({ functionCallingConfig: { mode: "AUTO" } });
    expect(configFor("none")).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(configFor("required")).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(configFor({ type: "function", function: { name: "weather" } })).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] },
    });
    expect(configFor(undefined)).toBeUndefined();
  });

  it("maps sampling options and response_format to generationConfig", () => {
    const messages = [{ role: "user", content: "hi" }];
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
    expect(
      geminiBody({
        model: "m",
        messages,
        max_tokens: 10,
        max_completion_tokens: 20,
        temperature: 0.2,
        top_p: 0.9,
        stop: "END",
        n: 2,
        seed: 7,
        response_format: { type: "json_schema", json_schema: { name: "reply", schema, strict: true } },
      }).generationConfig,
    ).toEqual({
      maxOutputTokens: 20,
      temperature: 0.2,
      topP: 0.9,
      stopSequences: ["END"],
      candidateCount: 2,
      seed: 7,
      responseMimeType: "application/json",
      responseJsonSchema: schema,
    });
    const jsonObject = geminiBody({ model: "m", messages, max_tokens: 5, response_format: { type: "json_object" } });
    expect(jsonObject.generationConfig).toEqual({ maxOutputTokens: 5, responseMimeType: "application/json" });
  });
});
