// The OpenAI-compatible adapter against recorded payloads of several vendors.
import { describe, expect, it } from "vitest";
import { providers } from "../../src/providers/registry";
import type { StreamPart } from "../../src/providers/types";
import { fixtureEvents, fixtureJson, fixtureText } from "./fixtures";

const request = { model: "m", messages: [{ role: "user", content: "hi" }], stream: true };

async function partsOf(provider: keyof typeof providers, path: string): Promise<StreamPart[]> {
  const transformer = providers[provider].createStreamTransformer(request);
  return (await fixtureEvents(path)).flatMap((event) => transformer.transform(event));
}

describe("OpenAI-compatible adapter: requests", () => {
  it("asks for stream usage from vendors that need asking, and not from those that always send it", () => {
    const settings = { apiKey: "k", baseUrl: "https://example.test/v1/" };
    const openai = providers.openai.buildRequest(request, settings);
    expect(openai.url).toBe("https://example.test/v1/chat/completions");
    expect(openai.headers.authorization).toBe("Bearer k");
    expect(JSON.parse(openai.body ?? "").stream_options).toEqual({ include_usage: true });
    const mistral = providers.mistral.buildRequest({ ...request, stream_options: { include_usage: true } }, settings);
    expect(JSON.parse(mistral.body ?? "")).not.toHaveProperty("stream_options");
  });
});

describe("OpenAI-compatible adapter: completions", () => {
  it.each([
    ["openai", "openai/chat-completion-text.json"],
    ["openai", "openai/chat-completion-tool-call.json"],
    ["openai", "openai/chat-completion-json-mode.json"],
    ["cerebras", "openai-compatible/cerebras/chat-completion-text.json"],
    ["deepseek", "openai-compatible/deepseek/chat-completion-reasoning.json"],
    ["groq", "openai-compatible/groq/chat-completion-tool-call.json"],
    ["mistral", "openai-compatible/mistral/chat-completion-text.json"],
    ["openrouter", "openai-compatible/openrouter/chat-completion-text.json"],
    ["xai", "openai-compatible/xai/chat-completion-text-reasoning.json"],
    ["huggingface", "openai-compatible/huggingface-router/chat-completion-together-deepseek-r1.json"],
  ] as const)("%s: %s", (provider, path) => {
    const body = fixtureJson<{ usage: { prompt_tokens: number; completion_tokens: number } }>(path);
    const { completion, usage } = providers[provider].parseCompletion(body);
    expect(completion.choices.length).toBeGreaterThan(0);
    expect(usage?.promptTokens).toBe(body.usage.prompt_tokens);
    expect(usage?.completionTokens).toBe(body.usage.completion_tokens);
  });

  it("passes JSON-mode content through as the JSON string it is", () => {
    const { completion } = providers.openai.parseCompletion(fixtureJson("openai/chat-completion-json-mode.json"));
    expect(() => JSON.parse(completion.choices[0]?.message.content ?? "")).not.toThrow();
  });

  it("reads cached and reasoning tokens", () => {
    const hit = providers.openai.parseCompletion(fixtureJson("openai/chat-completion-prompt-cache-hit.json"));
    expect(hit.usage).toMatchObject({ promptTokens: 2323, cachedTokens: 2176 });
    const reasoning = providers.openai.parseCompletion(fixtureJson("openai/chat-completion-reasoning-tokens.json"));
    expect(reasoning.usage).toMatchObject({ completionTokens: 267, reasoningTokens: 192 });
  });
});

describe("OpenAI-compatible adapter: streams", () => {
  it("marks OpenAI's extra usage chunk as usage-only and reads its usage", async () => {
    const parts = await partsOf("openai", "openai/chat-stream-text-usage.sse");
    const usageOnly = parts.filter((part) => part.type === "chunk" && part.usageOnly);
    expect(usageOnly).toHaveLength(1);
    expect(parts.filter((part) => part.type === "usage")).toHaveLength(1);
    expect(parts.at(-1)).toEqual({ type: "done" });
  });

  it("finds no usage where none was sent", async () => {
    const parts = await partsOf("openai", "openai/chat-stream-text-no-usage.sse");
    expect(parts.some((part) => part.type === "usage")).toBe(false);
  });

  it("reads Groq's usage and Mistral's usage inside the finish chunk (not usage-only)", async () => {
    for (const [provider, path] of [
      ["groq", "openai-compatible/groq/stream-text-reasoning.sse"],
      ["mistral", "openai-compatible/mistral/stream-text.sse"],
    ] as const) {
      const parts = await partsOf(provider, path);
      expect(
        parts.some((part) => part.type === "usage"),
        path,
      ).toBe(true);
      expect(
        parts.some((part) => part.type === "chunk" && part.usageOnly),
        path,
      ).toBe(false);
    }
  });

  it("turns Groq's mid-stream error event into an error part", async () => {
    const parts = await partsOf("groq", "openai-compatible/groq/stream-midstream-error-tool-use-failed.sse");
    const error = parts.find((part) => part.type === "error");
    expect(error?.type === "error" && error.error.code).toBe("tool_use_failed");
  });
});

describe("OpenAI-compatible adapter: errors", () => {
  it.each([
    ["openai", "openai/error-401-invalid-api-key.json", 401, "invalid_api_key"],
    ["openai", "openai/error-400-unsupported-parameter.json", 400, "unsupported_parameter"],
    ["deepseek", "openai-compatible/deepseek/error-401-authentication.json", 401, null],
    ["mistral", "openai-compatible/mistral/error-500-service-unavailable.json", 500, null],
    ["openrouter", "openai-compatible/openrouter/error-400-context-length.json", 400, null],
  ] as const)("%s: %s", (provider, path, status, code) => {
    const error = providers[provider].parseError(status, fixtureText(path), new Headers({ "retry-after": "7" }));
    expect(error.status).toBe(status);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBe(7);
    if (code) expect(error.code).toBe(code);
  });
});
