// POST /v1/embeddings with the official `openai` SDK, to OpenAI, Mistral (OpenAI-compatible) and Gemini
// (translated), against the mock upstream (documented shapes: test/support/mock-non-chat.ts). Billing
// is checked to the nano-dollar against the request log and the ledger.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { base64ToFloat32 } from "../../src/gateway/non-chat/vectors";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { call, errorOf } from "../support/gateway";
import { logRowOf } from "../support/inference-records";
import { mockVector, mockWordCount } from "../support/mock-non-chat";
import type { RecordedRequest } from "../support/mock-upstream";
import { catalogModel } from "../support/non-chat-catalog";
import { openAiClient } from "../support/openai-client";

let account: TestAccount;
let client: OpenAI;

const openaiModel = "text-embedding-3-small?case=emb";
const mistralModel = "mistral-embed?case=emb";
const geminiModel = "gemini-embedding-001";

beforeAll(async () => {
  account = await registerAccount();
  client = openAiClient(account.apiKey);
  await catalogModel("openai", openaiModel, { prompt: "0.00000002", completion: "0", outputModalities: ["embedding"] });
  await catalogModel("openai", "text-embedding-3-small?case=emb-no-usage", { prompt: "0.00000002", completion: null });
  await catalogModel("mistral", mistralModel, { prompt: "0.0000001", completion: "0" });
  await catalogModel("google", geminiModel, { prompt: "0.00000015", completion: "0", outputModalities: ["embedding"] });
  await catalogModel("mistral", "mock-embed?fail_on=mistral", { prompt: "0.0000001", completion: null });
  await catalogModel("openai", "mock-embed?fail_on=mistral", { prompt: "0.00000003", completion: null });
  await catalogModel("openai", "gpt-chat?case=emb", {
    prompt: "0.000001",
    completion: "0.000002",
    outputModalities: ["text"],
  });
});

async function sentTo(model: string): Promise<RecordedRequest[]> {
  const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
  return requests.filter((request) => request.body.model === model || request.path.includes(`/models/${model}:`));
}

const embed = (json: Record<string, unknown>, key = account.apiKey) =>
  call("/v1/embeddings", { method: "POST", key, json });

/** Nano-dollars as the log stores USD (9 decimals); prices above are whole nano-dollars per token. */
const usdOf = (nanos: number) => (nanos / 1e9).toFixed(9);

describe("POST /v1/embeddings through the OpenAI SDK", () => {
  it("OpenAI: vectors in input order (SDK's default base64, decoded), usage, cost; billed and logged", async () => {
    const input = ["the quick brown fox", "jumps"];
    const { data: result, response } = await client.embeddings
      .create({ model: `openai/${openaiModel}`, input })
      .withResponse();
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    expect(result.data.map((item) => item.embedding)).toEqual(input.map((text) => mockVector(text, 4)));
    expect(result.usage.prompt_tokens).toBe(5);
    expect(result.model).toBe("text-embedding-3-small");
    // 5 tokens × $0.00000002
    expect((result.usage as typeof result.usage & { cost: number }).cost).toBe(1e-7);

    const requestId = response.headers.get("x-request-id");
    const row = await logRowOf(requestId);
    expect(row).toMatchObject({
      endpoint: "embeddings",
      provider: "openai",
      upstream_model: openaiModel,
      status: "completed",
      prompt_tokens: 5,
      completion_tokens: 0,
      usage_estimated: false,
      priced: true,
      cost_usd: "0.000000100",
    });
    const [ledger] = await execute(
      sql`select amount::text as amount from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
    );
    expect(ledger?.amount).toBe("-0.000000100");

    const [sent] = await sentTo(openaiModel);
    expect(sent?.path).toBe("/openai/v1/embeddings");
    expect(sent?.authorization).toBe("Bearer test-openai-key");
    expect(sent?.body).toEqual({ model: openaiModel, input, encoding_format: "base64" });
  });

  it("Mistral: floats as asked, `dimensions` passed on, billed at Mistral's price", async () => {
    const input = ["one two three", "four five", "six"];
    const { data: result, response } = await client.embeddings
      .create({ model: `mistral/${mistralModel}`, input, encoding_format: "float", dimensions: 3 })
      .withResponse();
    expect(result.data.map((item) => item.embedding)).toEqual(input.map((text) => mockVector(text, 3)));
    expect(result.usage.prompt_tokens).toBe(6);
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ provider: "mistral", prompt_tokens: 6, cost_usd: usdOf(6 * 100) });
    const [sent] = await sentTo(mistralModel);
    expect(sent?.path).toBe("/mistral/v1/embeddings");
    expect(sent?.body).toMatchObject({ dimensions: 3, encoding_format: "float" });
  });

  it("Gemini: translated to batchEmbedContents and back; tokens estimated and marked so", async () => {
    const input = ["Embeddings through Gemini", "a second, longer text to embed"];
    const { data: result, response } = await client.embeddings
      .create({ model: `google/${geminiModel}`, input, dimensions: 8 })
      .withResponse();
    expect(result.data.map((item) => item.embedding)).toEqual(input.map((text) => mockVector(text, 8)));
    const estimated = input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    expect(result.usage.prompt_tokens).toBe(estimated);
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({
      endpoint: "embeddings",
      provider: "google",
      prompt_tokens: estimated,
      usage_estimated: true,
      cost_usd: usdOf(estimated * 150),
    });
    const [sent] = await sentTo(geminiModel);
    expect(sent?.path).toBe(`/google/v1/models/${geminiModel}:batchEmbedContents`);
    expect(sent?.authorization).toBe("test-google-key");
    expect(sent?.body).toEqual({
      requests: input.map((text) => ({
        model: `models/${geminiModel}`,
        content: { parts: [{ text }] },
        outputDimensionality: 8,
      })),
    });
  });
});

describe("POST /v1/embeddings: encodings, token ids, estimates", () => {
  it("answers base64 when asked, and estimates (marked) when an OpenAI-style vendor reports no usage", async () => {
    const response = await embed({
      model: "openai/text-embedding-3-small?case=emb-no-usage",
      input: "twelve chars",
      encoding_format: "base64",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { embedding: string }[]; usage: { prompt_tokens: number } };
    expect(base64ToFloat32(body.data[0]?.embedding ?? "")).toEqual(mockVector("twelve chars", 4));
    expect(body.usage.prompt_tokens).toBe(3);
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ prompt_tokens: 3, usage_estimated: true, cost_usd: usdOf(3 * 20) });
  });

  it("takes token ids where the provider does", async () => {
    const response = await embed({
      model: `openai/${openaiModel}`,
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown[]; usage: { prompt_tokens: number } };
    expect(body.data).toHaveLength(2);
    expect(body.usage.prompt_tokens).toBe(5);
  });
});

describe("POST /v1/embeddings: failover, credits, refusals", () => {
  it("fails over to the next provider of `provider.order` and logs the failed attempts", async () => {
    const model = "mock-embed?fail_on=mistral";
    const response = await embed({ model, input: "fail over", provider: { order: ["mistral", "openai"] } });
    expect(response.status).toBe(200);
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({
      provider: "openai",
      status: "completed",
      cost_usd: usdOf(mockWordCount("fail over") * 30),
    });
    const attempts = row.attempts as { provider: string; status: number }[];
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((attempt) => attempt.provider === "mistral" && attempt.status === 500)).toBe(true);
  });

  it("refuses with 402 before calling the provider when the balance is zero", async () => {
    const broke = await registerAccount();
    await execute(sql`update users set purchased_credits = 0, subscription_allowance = 0 where id = ${broke.userId}`);
    const model = "text-embedding-3-small?case=emb-402";
    const response = await embed({ model: `openai/${model}`, input: "x" }, broke.apiKey);
    expect(response.status).toBe(402);
    expect((await errorOf(response)).error.code).toBe("insufficient_credits");
    expect(await sentTo(model)).toHaveLength(0);
  });

  it.each([
    [{ model: `openai/${openaiModel}`, input: "" }, "input"],
    [{ model: `openai/${openaiModel}`, input: [] }, "input"],
    [{ model: `openai/${openaiModel}`, input: "x", encoding_format: "int8" }, "encoding_format"],
    [{ model: `openai/${openaiModel}`, input: "x", dimensions: 0 }, "dimensions"],
    [{ input: "x" }, "model"],
  ])("400 for bad input: %j", async (json, param) => {
    const response = await embed(json);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.param).toBe(param);
  });

  it("400 with a clear message for a provider or model without embeddings", async () => {
    const cases = [
      [{ model: "groq/llama-embed", input: "x" }, "Provider 'groq' does not offer embeddings"],
      [{ model: `google/${geminiModel}`, input: [1, 2, 3] }, "Provider 'google' embeds text only"],
      [{ model: "openai/gpt-chat?case=emb", input: "x" }, "is not an embedding model"],
    ] as const;
    for (const [json, message] of cases) {
      const response = await embed(json);
      expect(response.status, JSON.stringify(json)).toBe(400);
      const { error } = await errorOf(response);
      expect(error.code).toBe("unsupported_model");
      expect(error.message).toContain(message);
    }
    expect(await sentTo("gpt-chat?case=emb")).toHaveLength(0);
  });

  it("passes the provider's own 400 on, logged as failed and not charged", async () => {
    const response = await embed({ model: "openai/error-400?case=emb", input: "x" });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.message).toBe("mock upstream: invalid input");
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ endpoint: "embeddings", status: "failed", http_status: 400, cost_usd: "0.000000000" });
  });
});

describe("OpenAPI", () => {
  it("documents /v1/embeddings with its responses", async () => {
    const document = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const responses = Object.keys(document.paths["/v1/embeddings"]?.post?.responses ?? {});
    expect(responses).toEqual(expect.arrayContaining(["200", "400", "401", "402", "403", "404", "429", "502", "504"]));
  });
});
