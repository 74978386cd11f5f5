// POST /v1/messages/count_tokens with the official @anthropic-ai/sdk: Anthropic's own count for
// Anthropic models (mock upstream, documented shape: test/support/mock-non-chat.ts), a marked estimate
// for every other provider; authenticated and rate limited like /v1/messages, never billed.
import { env, exports } from "cloudflare:workers";
import Anthropic from "@anthropic-ai/sdk";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, origin } from "../support/gateway";
import { mockInputTokens } from "../support/mock-non-chat";
import type { RecordedRequest } from "../support/mock-upstream";

let account: TestAccount;
let anthropic: Anthropic;

beforeAll(async () => {
  account = await registerAccount();
  anthropic = new Anthropic({
    apiKey: account.apiKey,
    baseURL: origin,
    fetch: (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
    maxRetries: 0,
  });
});

async function sentTo(model: string): Promise<RecordedRequest[]> {
  const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
  return requests.filter((request) => request.body.model === model);
}

const count = (json: Record<string, unknown>, key = account.apiKey) =>
  call("/v1/messages/count_tokens", { method: "POST", key, keyHeader: "x-api-key", json });

const prompt = {
  system: "You are terse.",
  messages: [
    { role: "user" as const, content: "How many tokens is this sentence, roughly?" },
    { role: "assistant" as const, content: [{ type: "text" as const, text: "About ten." }] },
    { role: "user" as const, content: "And this one?" },
  ],
};

/** The gateway's estimate: the prompt's text at 4 characters per token. */
const estimateOf = (texts: string[]) => Math.ceil(texts.join("\n").length / 4);

describe("POST /v1/messages/count_tokens", () => {
  it("asks Anthropic for Anthropic models (SDK countTokens): exact, marked exact, model replaced", async () => {
    const model = "claude-haiku-4-5?case=count";
    const { data, response } = await anthropic.messages
      .countTokens({ model: `anthropic/${model}`, ...prompt })
      .withResponse();
    expect(data.input_tokens).toBe(mockInputTokens({ model, ...prompt }));
    expect(data).not.toHaveProperty("estimated");
    expect(response.headers.get("x-gateway-token-count")).toBe("exact");
    const [sent] = await sentTo(model);
    expect(sent?.path).toBe("/anthropic/v1/messages/count_tokens");
    expect(sent?.authorization).toBe("test-anthropic-key");
    expect(sent?.body).toEqual({ model, ...prompt });
  });

  it("drops the generation settings count_tokens refuses (a /v1/messages body works as is)", async () => {
    const model = "claude-haiku-4-5?case=count-settings";
    const response = await count({
      model: `anthropic/${model}`,
      max_tokens: 100,
      temperature: 0.5,
      stream: true,
      ...prompt,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-token-count")).toBe("exact");
    const [sent] = await sentTo(model);
    expect(sent?.body).toEqual({ model, ...prompt });
  });

  it("estimates for other providers, marked in the body and the header, without calling them", async () => {
    const { data, response } = await anthropic.messages
      .countTokens({ model: "openai/gpt-4o-mini?case=count", ...prompt })
      .withResponse();
    const texts = [prompt.system, "How many tokens is this sentence, roughly?", "About ten.", "And this one?"];
    expect(data).toEqual({ input_tokens: estimateOf(texts), estimated: true });
    expect(response.headers.get("x-gateway-token-count")).toBe("estimated");
    expect(await sentTo("gpt-4o-mini?case=count")).toHaveLength(0);
  });

  it("counts tool definitions and tool use in the estimate", async () => {
    const tools = [{ name: "weather", description: "Weather", input_schema: { type: "object" as const } }];
    const messages = [
      { role: "user" as const, content: "Weather?" },
      {
        role: "assistant" as const,
        content: [{ type: "tool_use" as const, id: "t1", name: "weather", input: { city: "Oslo" } }],
      },
    ];
    const data = await anthropic.messages.countTokens({ model: "google/gemini-2.5-flash", tools, messages });
    expect(data.input_tokens).toBe(
      estimateOf(["Weather?", `weather ${JSON.stringify({ city: "Oslo" })}`, JSON.stringify(tools)]),
    );
  });

  it("falls back to the marked estimate when Anthropic fails", async () => {
    const model = "claude-haiku-4-5?fail_on=anthropic";
    const response = await count({ model: `anthropic/${model}`, messages: [{ role: "user", content: "Hello there" }] });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-token-count")).toBe("estimated");
    expect(await response.json()).toEqual({ input_tokens: estimateOf(["Hello there"]), estimated: true });
    expect((await sentTo(model)).length).toBeGreaterThan(0);
  });

  it("passes Anthropic's 400 on in Anthropic's error shape", async () => {
    const response = await count({ model: "anthropic/claude-error-400", messages: [{ role: "user", content: "x" }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("needs a key and a valid body, answering in Anthropic's error shape", async () => {
    const anonymous = await call("/v1/messages/count_tokens", {
      method: "POST",
      json: { model: "anthropic/claude-haiku-4-5", ...prompt },
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const invalid = await count({ model: "anthropic/claude-haiku-4-5" });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("is not billed or logged", async () => {
    const fresh = await registerAccount();
    const balance = async () =>
      (
        await execute(
          sql`select (subscription_allowance + purchased_credits)::text as b from users where id = ${fresh.userId}`,
        )
      )[0]?.b;
    const before = await balance();
    const response = await count({ model: "anthropic/claude-haiku-4-5?case=count-free", ...prompt }, fresh.apiKey);
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(await execute(sql`select 1 from chat_completion_requests where request_id = ${requestId}`)).toHaveLength(0);
    expect(await balance()).toBe(before);
  });

  it("is rate limited like /v1/messages: the key's limits apply, 429 in Anthropic's shape", async () => {
    const limited = await registerAccount();
    const set = await call("/admin/limit", {
      method: "POST",
      key: TEST_ADMIN_API_KEY,
      json: { api_key: limited.apiKey, rate_limits: { requests_per_minute: 2 } },
    });
    expect(set.status).toBe(200);
    // Windows restart on minute boundaries: keep the three calls inside one minute.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 250));
    const body = { model: "openai/gpt-4o-mini", ...prompt };
    const first = await count(body, limited.apiKey);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect((await count(body, limited.apiKey)).status).toBe(200);
    const third = await count(body, limited.apiKey);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).not.toBeNull();
    expect(await third.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });
});

describe("OpenAPI", () => {
  it("documents /v1/messages/count_tokens with its responses", async () => {
    const document = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const responses = Object.keys(document.paths["/v1/messages/count_tokens"]?.post?.responses ?? {});
    expect(responses).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "429"]));
  });
});
