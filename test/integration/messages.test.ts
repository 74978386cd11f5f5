// POST /v1/messages with the official @anthropic-ai/sdk, to Anthropic itself and across formats,
// and the OpenAI front door reaching Anthropic and Gemini: every provider from both front doors.

import { env, exports } from "cloudflare:workers";
import Anthropic from "@anthropic-ai/sdk";
import { sql } from "drizzle-orm";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call, origin } from "../support/gateway";
import type { RecordedRequest } from "../support/mock-upstream";

const gatewayFetch = (input: string | URL | Request, init?: RequestInit) =>
  exports.default.fetch(new Request(input, init));

let account: TestAccount;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  account = await registerAccount();
  anthropic = new Anthropic({ apiKey: account.apiKey, baseURL: origin, fetch: gatewayFetch, maxRetries: 0 });
  openai = new OpenAI({ apiKey: account.apiKey, baseURL: `${origin}/v1`, fetch: gatewayFetch, maxRetries: 0 });
  await priceModel("anthropic", "fixture:anthropic/messages-prompt-cache-read", {
    prompt: "0.000001",
    completion: "0.000005",
    cacheRead: "0.0000001",
    cacheWrite: "0.00000125",
  });
});

async function logRowOf(requestId: string | null): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const [row] = await execute(sql`select * from chat_completion_requests where request_id = ${requestId ?? ""}`);
    expect(row).toBeDefined();
    return row as Record<string, unknown>;
  });
}

describe("Anthropic SDK → /v1/messages", () => {
  it("answers from Anthropic with the message's text and usage", async () => {
    const message = await anthropic.messages.create({
      model: "anthropic/fixture:anthropic/messages-text",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message.type).toBe("message");
    expect(message.model).toBe("anthropic/fixture:anthropic/messages-text");
    const text = message.content.find((block) => block.type === "text");
    expect(text?.type === "text" && text.text.length > 0).toBe(true);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it("bills Anthropic cache reads at the cache price and reports them as Anthropic does", async () => {
    const response = await anthropic.messages
      .create({
        model: "anthropic/fixture:anthropic/messages-prompt-cache-read",
        max_tokens: 100,
        messages: [{ role: "user", content: "Again" }],
      })
      .withResponse();
    const usage = response.data.usage;
    expect(usage.cache_read_input_tokens).toBeGreaterThan(0);
    const reportedCost = (usage as typeof usage & { cost?: number }).cost;
    const row = await logRowOf(response.response.headers.get("x-request-id"));
    expect(row.endpoint).toBe("messages");
    expect(Number(row.cached_tokens)).toBe(usage.cache_read_input_tokens);
    // prompt tokens = uncached input + cache reads + cache writes (OpenAI's meaning).
    expect(Number(row.prompt_tokens)).toBe(
      usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0),
    );
    const nanos =
      usage.input_tokens * 1000 +
      (usage.cache_read_input_tokens ?? 0) * 100 +
      (usage.cache_creation_input_tokens ?? 0) * 1250 +
      usage.output_tokens * 5000;
    expect(row.cost_usd).toBe((nanos / 1e9).toFixed(9));
    expect(reportedCost).toBe(nanos / 1e9);
  });

  it("streams Anthropic natively-shaped events that the SDK's stream helper assembles", async () => {
    const stream = anthropic.messages.stream({
      model: "anthropic/fixture:anthropic/stream-tool-use",
      max_tokens: 200,
      messages: [{ role: "user", content: "Weather?" }],
      tools: [{ name: "weather", input_schema: { type: "object", properties: {} } }],
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    const toolUse = final.content.find((block) => block.type === "tool_use");
    expect(toolUse?.type === "tool_use" && typeof toolUse.input).toBe("object");
  });

  it("crosses formats: an Anthropic client reaching an OpenAI model, streamed", async () => {
    const stream = anthropic.messages.stream({
      model: "openai/fixture:openai/chat-stream-text-usage?case=messages",
      max_tokens: 100,
      messages: [{ role: "user", content: "Count" }],
    });
    const text = await stream.finalText();
    expect(text.length).toBeGreaterThan(0);
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.stop_reason).toBe("end_turn");
    // The gateway's charge rides along in message_delta's usage, as on the OpenAI front door.
    const events = await anthropic.messages.create({
      model: "openai/fixture:openai/chat-stream-text-usage?case=messages",
      max_tokens: 100,
      messages: [{ role: "user", content: "Count" }],
      stream: true,
    });
    let cost: unknown;
    for await (const event of events) {
      if (event.type === "message_delta") cost = (event.usage as typeof event.usage & { cost?: number }).cost;
    }
    expect(typeof cost).toBe("number");
  });

  it("crosses formats: an Anthropic client reaching an OpenAI model with tools", async () => {
    const message = await anthropic.messages.create({
      model: "openai/fixture:openai/chat-completion-parallel-tool-calls",
      max_tokens: 100,
      messages: [{ role: "user", content: "Use tools" }],
      tools: [{ name: "a", input_schema: { type: "object" } }],
    });
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.filter((block) => block.type === "tool_use")).toHaveLength(2);
  });

  it("answers errors in Anthropic's shape", async () => {
    const unauthenticated = await call("/v1/messages", {
      method: "POST",
      json: { model: "x", max_tokens: 1, messages: [{ role: "user", content: "x" }] },
    });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const invalid = await call("/v1/messages", {
      method: "POST",
      key: account.apiKey,
      json: { model: "x", messages: [] },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const upstream = anthropic.messages.create({
      model: "anthropic/fixture:anthropic/error-401-authentication-error",
      max_tokens: 10,
      messages: [{ role: "user", content: "x" }],
    });
    await expect(upstream).rejects.toMatchObject({ status: 502 });
  });
});

describe("OpenAI SDK → Anthropic and Gemini", () => {
  it("reaches Anthropic through /v1/chat/completions, streamed with usage", async () => {
    const stream = await openai.chat.completions.create({
      model: "anthropic/fixture:anthropic/stream-text",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("reaches Gemini through /v1/chat/completions, streamed and not", async () => {
    const completion = await openai.chat.completions.create({
      model: "google/fixture:google/generate-content-text",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    const stream = await openai.chat.completions.create({
      model: "google/fixture:google/stream-text",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text.length).toBeGreaterThan(0);
  });

  it("maps Gemini's invalid-key 400 to a 502 naming the provider", async () => {
    const failure = openai.chat.completions.create({
      model: "google/fixture:google/error-400-api-key-invalid",
      messages: [{ role: "user", content: "Hi" }],
    });
    await expect(failure).rejects.toMatchObject({ status: 502, code: "provider_auth_error" });
  });
});

describe("native pass-through to Anthropic", () => {
  it("sends the client's body untranslated (cache_control, top_k, unknown fields kept), model replaced", async () => {
    const response = await call("/v1/messages", {
      method: "POST",
      key: account.apiKey,
      json: {
        model: "anthropic/fixture:anthropic/messages-prompt-cache-write?case=native",
        max_tokens: 50,
        top_k: 5,
        container: "container-123",
        system: [{ type: "text", text: "Long context", cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: [{ type: "text", text: "Hi", cache_control: { type: "ephemeral" } }] }],
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { model: string; usage: Record<string, number> };
    expect(body.model).toBe("anthropic/fixture:anthropic/messages-prompt-cache-write?case=native");
    expect(body.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(body.usage).toHaveProperty("cost");
    const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
    const sent = requests
      .filter((request) => request.body.model === "fixture:anthropic/messages-prompt-cache-write?case=native")
      .at(-1);
    expect(sent?.path).toBe("/anthropic/v1/messages");
    expect(sent?.body).toEqual({
      model: "fixture:anthropic/messages-prompt-cache-write?case=native",
      max_tokens: 50,
      top_k: 5,
      container: "container-123",
      system: [{ type: "text", text: "Long context", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: [{ type: "text", text: "Hi", cache_control: { type: "ephemeral" } }] }],
    });
  });

  it("forwards Anthropic's events as they came, adding only the cost to message_delta", async () => {
    const response = await call("/v1/messages", {
      method: "POST",
      key: account.apiKey,
      json: {
        model: "anthropic/fixture:anthropic/stream-thinking",
        max_tokens: 2000,
        stream: true,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [{ role: "user", content: "Think" }],
      },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const recorded = await (
      await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__fixtures/anthropic/stream-thinking.sse`)
    ).text();
    const events = (text: string) =>
      text
        .split(/\r?\n\r?\n/)
        .filter((block) => block.includes("data:"))
        .map((block) => ({
          event: /^event: (.*)$/m.exec(block)?.[1],
          data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") as Record<string, unknown>,
        }));
    const ours = events(await response.text());
    const theirs = events(recorded);
    expect(ours.map((event) => event.event)).toEqual(theirs.map((event) => event.event));
    for (const [index, event] of ours.entries()) {
      const original = theirs[index];
      if (event.event === "message_delta") {
        const { cost, ...usage } = event.data.usage as Record<string, unknown>;
        expect(typeof cost).toBe("number");
        expect({ ...event.data, usage }).toEqual(original?.data);
      } else {
        expect(event.data).toEqual(original?.data);
      }
    }
  });
});
