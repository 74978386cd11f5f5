// POST /v1/images/generations with the official `openai` SDK, to OpenAI and xAI (OpenAI-compatible image
// endpoints), against the mock upstream (documented shapes: test/support/mock-non-chat.ts). Priced per
// image from the catalog; checked against the request log and the ledger.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { call, errorOf } from "../support/gateway";
import { logRowOf } from "../support/inference-records";
import type { RecordedRequest } from "../support/mock-upstream";
import { catalogModel } from "../support/non-chat-catalog";
import { openAiClient } from "../support/openai-client";

let account: TestAccount;
let client: OpenAI;

type ImagesUsage = { images: number; cost: number };
const usageOf = (result: OpenAI.ImagesResponse) => (result as unknown as { usage: ImagesUsage }).usage;

beforeAll(async () => {
  account = await registerAccount();
  client = openAiClient(account.apiKey);
  await catalogModel("openai", "dall-e-3?case=img", { prompt: null, completion: null, image: "0.04" });
  await catalogModel("xai", "grok-2-image?case=img", {
    prompt: null,
    completion: null,
    request: "0.001",
    image: "0.07",
    outputModalities: ["image"],
  });
  await catalogModel("xai", "mock-image?fail_on=xai", { prompt: null, completion: null, image: "0.5" });
  await catalogModel("openai", "mock-image?fail_on=xai", { prompt: null, completion: null, image: "0.011" });
  await catalogModel("openai", "text-embedding-3-small?case=img", {
    prompt: "0.00000002",
    completion: null,
    outputModalities: ["embedding"],
  });
});

async function sentTo(model: string): Promise<RecordedRequest[]> {
  const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
  return requests.filter((request) => request.body.model === model);
}

const generate = (json: Record<string, unknown>, key = account.apiKey) =>
  call("/v1/images/generations", { method: "POST", key, json });

describe("POST /v1/images/generations through the OpenAI SDK", () => {
  it("OpenAI: n images as URLs, billed n × the catalog's image price, logged", async () => {
    const { data: result, response } = await client.images
      .generate({
        model: "openai/dall-e-3?case=img",
        prompt: "a red fox",
        n: 2,
        size: "1024x1024",
        response_format: "url",
      })
      .withResponse();
    expect(result.data).toHaveLength(2);
    expect(result.data?.[0]?.url).toBe("https://images.mock.test/dall-e-3/0.png");
    expect(result.data?.[1]?.revised_prompt).toBe("a red fox");
    expect(usageOf(result)).toEqual({ images: 2, cost: 0.08 });

    const requestId = response.headers.get("x-request-id");
    const row = await logRowOf(requestId);
    expect(row).toMatchObject({
      endpoint: "images",
      provider: "openai",
      upstream_model: "dall-e-3?case=img",
      status: "completed",
      priced: true,
      cost_usd: "0.080000000",
    });
    const [ledger] = await execute(
      sql`select amount::text as amount from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
    );
    expect(ledger?.amount).toBe("-0.080000000");
    const [sent] = await sentTo("dall-e-3?case=img");
    expect(sent?.path).toBe("/openai/v1/images/generations");
    expect(sent?.authorization).toBe("Bearer test-openai-key");
    expect(sent?.body).toEqual({
      model: "dall-e-3?case=img",
      prompt: "a red fox",
      n: 2,
      size: "1024x1024",
      response_format: "url",
    });
  });

  it("xAI: base64 images, billed per image plus the per-request price", async () => {
    const { data: result, response } = await client.images
      .generate({ model: "xai/grok-2-image?case=img", prompt: "a lighthouse", response_format: "b64_json" })
      .withResponse();
    expect(result.data).toHaveLength(1);
    expect(atob(result.data?.[0]?.b64_json ?? "")).toBe("mock image 0 of grok-2-image");
    expect(usageOf(result)).toEqual({ images: 1, cost: 0.071 });
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ endpoint: "images", provider: "xai", cost_usd: "0.071000000" });
    const [sent] = await sentTo("grok-2-image?case=img");
    expect(sent?.path).toBe("/xai/v1/images/generations");
  });
});

describe("POST /v1/images/generations: pricing gaps, failover, credits, refusals", () => {
  it("serves a model without an image price free, and the log row says unpriced", async () => {
    const response = await generate({ model: "openai/dall-e-2?case=img-unpriced", prompt: "x", n: 3 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown[]; usage: ImagesUsage };
    expect(body.data).toHaveLength(3);
    expect(body.usage).toEqual({ images: 3, cost: 0 });
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: "completed", priced: false, cost_usd: "0.000000000" });
  });

  it("fails over to the next provider and bills the one that answered at its own price", async () => {
    const response = await generate({
      model: "mock-image?fail_on=xai",
      prompt: "x",
      n: 2,
      provider: { order: ["xai", "openai"] },
    });
    expect(response.status).toBe(200);
    const row = await logRowOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ provider: "openai", cost_usd: "0.022000000" });
    const attempts = row.attempts as { provider: string; status: number }[];
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((attempt) => attempt.provider === "xai" && attempt.status === 500)).toBe(true);
  });

  it("refuses with 402 before calling the provider when the balance is zero", async () => {
    const broke = await registerAccount();
    await execute(sql`update users set purchased_credits = 0, subscription_allowance = 0 where id = ${broke.userId}`);
    const response = await generate({ model: "openai/dall-e-3?case=img-402", prompt: "x" }, broke.apiKey);
    expect(response.status).toBe(402);
    expect((await errorOf(response)).error.code).toBe("insufficient_credits");
    expect(await sentTo("dall-e-3?case=img-402")).toHaveLength(0);
  });

  it.each([
    [{ model: "openai/dall-e-3?case=img", prompt: "" }, "prompt"],
    [{ model: "openai/dall-e-3?case=img" }, "prompt"],
    [{ model: "openai/dall-e-3?case=img", prompt: "x", n: 11 }, "n"],
    [{ model: "openai/dall-e-3?case=img", prompt: "x", size: "huge" }, "size"],
    [{ model: "openai/dall-e-3?case=img", prompt: "x", response_format: "png" }, "response_format"],
    [{ model: "openai/dall-e-3?case=img", prompt: "x", stream: true }, "stream"],
  ])("400 for bad input: %j", async (json, param) => {
    const response = await generate(json);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.param).toBe(param);
  });

  it("400 with a clear message for a provider or model that does not generate images", async () => {
    const cases = [
      [{ model: "mistral/mistral-large", prompt: "x" }, "Provider 'mistral' does not generate images"],
      [{ model: "openai/text-embedding-3-small?case=img", prompt: "x" }, "is not an image generation model"],
    ] as const;
    for (const [json, message] of cases) {
      const response = await generate(json);
      expect(response.status, JSON.stringify(json)).toBe(400);
      const { error } = await errorOf(response);
      expect(error.code).toBe("unsupported_model");
      expect(error.message).toContain(message);
    }
    expect(await sentTo("text-embedding-3-small?case=img")).toHaveLength(0);
  });
});

describe("OpenAPI", () => {
  it("documents /v1/images/generations with its responses", async () => {
    const document = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const responses = Object.keys(document.paths["/v1/images/generations"]?.post?.responses ?? {});
    expect(responses).toEqual(expect.arrayContaining(["200", "400", "401", "402", "403", "404", "429", "502", "504"]));
  });
});
