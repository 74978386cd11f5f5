import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { registerAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { openAiClient } from "../support/openai-client";

let client: OpenAI;

beforeAll(async () => {
  const account = await registerAccount();
  client = openAiClient(account.apiKey);
  await priceModel("openai", "fixture:openai/chat-stream-text-usage?case=sdk", {
    prompt: "0.000001",
    completion: "0.000002",
  });
});

describe("official OpenAI SDK", () => {
  it("creates a completion and reads usage with cost", async () => {
    const completion = await client.chat.completions.create({
      model: "openai/fixture:openai/chat-completion-text",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(completion.usage).toHaveProperty("cost");
  });

  it("streams with include_usage, the last chunk carrying usage and cost", async () => {
    const stream = await client.chat.completions.create({
      model: "openai/fixture:openai/chat-stream-text-usage?case=sdk",
      messages: [{ role: "user", content: "Count" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: (OpenAI.CompletionUsage & { cost?: number }) | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(usage?.cost).toBe(((usage?.prompt_tokens ?? 0) * 1000 + (usage?.completion_tokens ?? 0) * 2000) / 1e9);
  });

  it("works with the SDK's stream helper and tool calls", async () => {
    const runner = client.chat.completions.stream({
      model: "openai/fixture:openai/chat-stream-tool-call",
      messages: [{ role: "user", content: "Weather in Berlin?" }],
      tools: [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: {} } } }],
    });
    const final = await runner.finalChatCompletion();
    const toolCall = final.choices[0]?.message.tool_calls?.[0];
    expect(toolCall?.type).toBe("function");
    if (toolCall?.type === "function") expect(() => JSON.parse(toolCall.function.arguments)).not.toThrow();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("surfaces gateway errors as the SDK's typed errors", async () => {
    const failure = client.chat.completions.create({
      model: "openai/fixture:openai/error-401-invalid-api-key",
      messages: [{ role: "user", content: "x" }],
    });
    await expect(failure).rejects.toMatchObject({ status: 502, code: "provider_auth_error" });
  });
});
