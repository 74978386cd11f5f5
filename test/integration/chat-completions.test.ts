import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call, errorOf } from "../support/gateway";
import type { RecordedRequest } from "../support/mock-upstream";
import { readSse } from "../support/sse";

async function fixture<T>(path: string): Promise<T> {
  return (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__fixtures/${path}`)).json()) as T;
}

async function upstreamRequests(): Promise<RecordedRequest[]> {
  return (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
}

async function lastUpstreamRequestFor(model: string): Promise<RecordedRequest | undefined> {
  return (await upstreamRequests()).filter((request) => request.body.model === model).at(-1);
}

async function logRow(requestId: string): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const [row] = await execute(sql`select * from chat_completion_requests where request_id = ${requestId}`);
    expect(row).toBeDefined();
    return row as Record<string, unknown>;
  });
}

async function balanceOf(account: TestAccount): Promise<string> {
  const [row] = await execute(
    sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${account.userId}`,
  );
  return String(row?.balance);
}

const chat = (account: TestAccount, json: Record<string, unknown>) =>
  call("/v1/chat/completions", { method: "POST", key: account.apiKey, json });

interface TextFixture {
  choices: { message: { content: string } }[];
  usage: { prompt_tokens: number; completion_tokens: number };
}

describe("POST /v1/chat/completions (OpenAI-compatible providers, recorded payloads)", () => {
  let account: TestAccount;
  let textFixture: TextFixture;
  beforeAll(async () => {
    account = await registerAccount();
    textFixture = await fixture<TextFixture>("openai/chat-completion-text.json");
    // $0.10 per 1M prompt tokens, $0.40 per 1M completion tokens.
    await priceModel("openai", "fixture:openai/chat-completion-text?case=chat", {
      prompt: "0.0000001",
      completion: "0.0000004",
    });
  });

  it("answers a text completion with usage and cost, and charges exactly that cost", async () => {
    const before = await balanceOf(account);
    const response = await chat(account, {
      model: "openai/fixture:openai/chat-completion-text?case=chat",
      messages: [{ role: "user", content: "Hello" }],
      custom_vendor_field: { keep: true },
    });
    expect(response.status).toBe(200);
    // The key's rate-limit state rides on every inference response (basic tier: 60 per minute).
    expect(response.headers.get("x-ratelimit-limit")).toBe("60");
    expect(Number(response.headers.get("x-ratelimit-remaining"))).toBeLessThan(60);
    const requestId = response.headers.get("x-request-id") ?? "";
    const body = (await response.json()) as {
      choices: { message: { content: string } }[];
      usage: Record<string, unknown>;
    };
    expect(body.choices[0]?.message.content).toBe(textFixture.choices[0]?.message.content);
    const { prompt_tokens: prompt, completion_tokens: completion } = textFixture.usage;
    const expectedNanos = BigInt(prompt) * 100n + BigInt(completion) * 400n;
    expect(body.usage).toMatchObject({
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      cost: Number(expectedNanos) / 1e9,
    });

    const row = await logRow(requestId);
    expect(row).toMatchObject({
      status: "completed",
      provider: "openai",
      upstream_model: "fixture:openai/chat-completion-text?case=chat",
      requested_model: "openai/fixture:openai/chat-completion-text?case=chat",
      prompt_tokens: prompt,
      completion_tokens: completion,
      usage_estimated: false,
      priced: true,
      stream: false,
    });
    const expectedCost = (Number(expectedNanos) / 1e9).toFixed(9);
    expect(row.cost_usd).toBe(expectedCost);
    const after = await balanceOf(account);
    expect(Number(BigInt(before.replace(".", "")) - BigInt(after.replace(".", "")))).toBe(Number(expectedNanos));
    const ledger = await execute(
      sql`select amount, type from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
    );
    expect(ledger).toEqual([{ amount: `-${expectedCost}`, type: "api_usage" }]);
    const activity = await execute(
      sql`select details from activity where user_id = ${account.userId} and action = 'chat_completion' and details->>'request_id' = ${requestId}`,
    );
    expect(activity).toHaveLength(1);
  });

  it("sends the provider its own model id and key, drops gateway fields, passes unknown fields through", async () => {
    await chat(account, {
      model: "openai/fixture:openai/chat-completion-text?case=fields",
      provider: "openai",
      messages: [
        { role: "developer", content: "Be brief" },
        { role: "user", content: "Hi" },
      ],
      vendor_extension: 7,
    });
    const sent = await lastUpstreamRequestFor("fixture:openai/chat-completion-text?case=fields");
    expect(sent?.path).toBe("/openai/v1/chat/completions");
    expect(sent?.authorization).toBe("Bearer test-openai-key");
    expect(sent?.body).toMatchObject({ vendor_extension: 7, messages: [{ role: "developer" }, { role: "user" }] });
    expect(sent?.body).not.toHaveProperty("provider");
  });

  it("streams chunk by chunk, asks the upstream for usage and strips that chunk when not requested", async () => {
    const before = await balanceOf(account);
    const response = await chat(account, {
      model: "openai/fixture:openai/chat-stream-text-usage?case=unpriced",
      messages: [{ role: "user", content: "Count" }],
      stream: true,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const requestId = response.headers.get("x-request-id") ?? "";
    const { events } = await readSse(response);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as { choices: unknown[]; usage?: unknown });
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    const sent = await lastUpstreamRequestFor("fixture:openai/chat-stream-text-usage?case=unpriced");
    expect(sent?.body.stream_options).toEqual({ include_usage: true });
    const row = await logRow(requestId);
    expect(row).toMatchObject({ status: "completed", stream: true, usage_estimated: false, priced: false });
    expect(Number(row.prompt_tokens)).toBeGreaterThan(0);
    // Unpriced model: logged as such, not charged.
    expect(await balanceOf(account)).toBe(before);
  });

  it("forwards the usage chunk with cost when the client asks for it", async () => {
    await priceModel("openai", "fixture:openai/chat-stream-text-usage?case=usage", {
      prompt: "0.000001",
      completion: "0.000002",
    });
    const response = await chat(account, {
      model: "openai/fixture:openai/chat-stream-text-usage?case=usage",
      messages: [{ role: "user", content: "Count" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { events } = await readSse(response);
    const last = JSON.parse(events.at(-2) ?? "{}") as { choices: unknown[]; usage: Record<string, number> };
    expect(last.choices).toEqual([]);
    const { prompt_tokens: prompt = 0, completion_tokens: completion = 0 } = last.usage;
    expect(last.usage.cost).toBe((prompt * 1000 + completion * 2000) / 1e9);
    const row = await logRow(response.headers.get("x-request-id") ?? "");
    expect(row.cost_usd).toBe(((prompt * 1000 + completion * 2000) / 1e9).toFixed(9));
  });

  it("relays tool-call deltas unchanged", async () => {
    const response = await chat(account, {
      model: "openai/fixture:openai/chat-stream-tool-call",
      messages: [{ role: "user", content: "Weather?" }],
      tools: [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }],
      stream: true,
    });
    const { events } = await readSse(response);
    const deltas = events
      .slice(0, -1)
      .flatMap(
        (data) =>
          (JSON.parse(data) as { choices: { delta: { tool_calls?: { function?: { arguments?: string } }[] } }[] })
            .choices,
      )
      .flatMap((choice) => choice.delta.tool_calls ?? []);
    const argumentsText = deltas.map((toolCall) => toolCall.function?.arguments ?? "").join("");
    expect(() => JSON.parse(argumentsText)).not.toThrow();
  });

  it.each([
    ["groq", "groq/fixture:openai-compatible/groq/stream-text-reasoning"],
    ["deepseek", "deepseek/fixture:openai-compatible/deepseek/stream-text"],
    ["mistral", "mistral/fixture:openai-compatible/mistral/stream-text"],
    ["xai", "xai/fixture:openai-compatible/xai/stream-text-reasoning"],
  ])("reads %s's stream usage where that vendor puts it", async (_vendor, model) => {
    const response = await chat(account, { model, messages: [{ role: "user", content: "Hi" }], stream: true });
    const { events } = await readSse(response);
    expect(events.at(-1)).toBe("[DONE]");
    const row = await logRow(response.headers.get("x-request-id") ?? "");
    expect(row.usage_estimated).toBe(false);
    expect(Number(row.completion_tokens)).toBeGreaterThan(0);
  });

  it("ends the stream with an error event when the upstream fails mid-stream", async () => {
    const response = await chat(account, {
      model: "groq/fixture:openai-compatible/groq/stream-midstream-error-tool-use-failed",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    expect(response.status).toBe(200);
    const { events } = await readSse(response);
    const last = JSON.parse(events.at(-1) ?? "{}") as { error?: { message: string; code: string } };
    expect(last.error?.code).toBe("tool_use_failed");
    const row = await logRow(response.headers.get("x-request-id") ?? "");
    expect(row.status).toBe("failed");
    expect(String(row.error_message)).toContain("Tool call validation failed");
  });

  it("reports reasoning and cached tokens", async () => {
    const reasoning = await chat(account, {
      model: "openai/fixture:openai/chat-completion-reasoning-tokens",
      messages: [{ role: "user", content: "Think" }],
    });
    const body = (await reasoning.json()) as { usage: { completion_tokens_details: { reasoning_tokens: number } } };
    expect(body.usage.completion_tokens_details.reasoning_tokens).toBe(192);
    const cached = await chat(account, {
      model: "openai/fixture:openai/chat-completion-prompt-cache-hit",
      messages: [{ role: "user", content: "Again" }],
    });
    const cachedBody = (await cached.json()) as {
      usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } };
    };
    expect(cachedBody.usage).toMatchObject({ prompt_tokens: 2323, prompt_tokens_details: { cached_tokens: 2176 } });
  });
});

describe("upstream errors", () => {
  let account: TestAccount;
  beforeAll(async () => {
    account = await registerAccount();
  });

  it("turns a rejected vendor key into a 502 naming the provider, never the vendor's text", async () => {
    const response = await chat(account, {
      model: "openai/fixture:openai/error-401-invalid-api-key",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(502);
    const body = await errorOf(response);
    expect(body.error).toMatchObject({
      code: "provider_auth_error",
      message: "Provider 'openai' rejected the gateway's credentials",
    });
    expect(JSON.stringify(body)).not.toContain("test-openai-key");
    const row = await logRow(response.headers.get("x-request-id") ?? "");
    expect(row).toMatchObject({ status: "failed", http_status: 502, cost_usd: "0.000000000" });
  });

  it("passes a provider's 400 through with its message", async () => {
    const response = await chat(account, {
      model: "openai/fixture:openai/error-400-unsupported-parameter",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.error.code).toBe("unsupported_parameter");
    expect(body.error.param).toBe("max_tokens");
  });

  it("passes 404 model-not-found through as 404", async () => {
    const response = await chat(account, {
      model: "groq/fixture:openai-compatible/groq/error-404-model-not-found",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(404);
  });

  it("answers an upstream 429 with 429 and Retry-After", async () => {
    const response = await chat(account, {
      model: "openai/fixture:openai/error-429-request-too-large-tpm",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await errorOf(response)).error.code).toBe("provider_rate_limited");
  });

  it("maps an upstream 5xx to 502", async () => {
    const response = await chat(account, {
      model: "mistral/fixture:openai-compatible/mistral/error-500-service-unavailable",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(502);
    expect((await errorOf(response)).error.code).toBe("provider_error");
  });
});

describe("routing and admission", () => {
  it("refuses an unknown forced provider with 400 naming the model", async () => {
    const account = await registerAccount();
    const response = await chat(account, {
      model: "some-model",
      provider: "nope",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.message).toBe("Unknown provider 'nope' for model 'some-model'");
  });

  it("refuses a provider that is not configured with 400", async () => {
    const account = await registerAccount();
    const response = await chat(account, {
      model: "x",
      provider: "together",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.code).toBe("provider_not_configured");
  });

  it("sends an unprefixed model to the default provider (openrouter) unchanged", async () => {
    const account = await registerAccount();
    await chat(account, {
      model: "fixture:openai-compatible/openrouter/chat-completion-text",
      messages: [{ role: "user", content: "x" }],
    });
    const sent = await lastUpstreamRequestFor("fixture:openai-compatible/openrouter/chat-completion-text");
    expect(sent?.path).toBe("/openrouter/v1/chat/completions");
  });

  it("validates the request: 400 naming the field", async () => {
    const account = await registerAccount();
    for (const [json, param] of [
      [{ model: "m", messages: [] }, "messages"],
      [{ model: "m", messages: [{ role: "robot", content: "x" }] }, "messages.0.role"],
      [{ model: "m", messages: [{ role: "user", content: "x" }], temperature: 3 }, "temperature"],
      [{ model: "m", messages: [{ role: "user", content: "x" }], stop: ["a", "b", "c", "d", "e"] }, "stop"],
      [{ messages: [{ role: "user", content: "x" }] }, "model"],
    ] as const) {
      const response = await chat(account, json);
      expect(response.status, JSON.stringify(json)).toBe(400);
      expect((await errorOf(response)).error.param).toBe(param);
    }
  });

  it("refuses with 402 when the balance is zero or less", async () => {
    const account = await registerAccount();
    await execute(sql`update users set purchased_credits = 0, subscription_allowance = 0 where id = ${account.userId}`);
    const response = await chat(account, {
      model: "openai/fixture:openai/chat-completion-text",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(402);
    expect((await errorOf(response)).error.code).toBe("insufficient_credits");
  });

  it("refuses an expired trial with 403 on inference", async () => {
    const account = await registerAccount();
    await execute(sql`update users set trial_expires_at = now() - interval '1 day' where id = ${account.userId}`);
    const response = await chat(account, {
      model: "openai/fixture:openai/chat-completion-text",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).error.code).toBe("trial_expired");
  });

  it("enforces a key's allowed models with 403", async () => {
    const account = await registerAccount();
    const created = await call("/user/api-keys", {
      method: "POST",
      key: account.apiKey,
      json: { name: "limited", allowed_models: ["openai/fixture:openai/chat-completion-text"] },
    });
    const { api_key: limitedKey } = (await created.json()) as { api_key: string };
    const allowed = await call("/v1/chat/completions", {
      method: "POST",
      key: limitedKey,
      json: { model: "openai/fixture:openai/chat-completion-text", messages: [{ role: "user", content: "x" }] },
    });
    expect(allowed.status).toBe(200);
    const refused = await call("/v1/chat/completions", {
      method: "POST",
      key: limitedKey,
      json: { model: "openai/fixture:openai/chat-completion-json-mode", messages: [{ role: "user", content: "x" }] },
    });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).error.code).toBe("model_not_allowed");
  });
});
