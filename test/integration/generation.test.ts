import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { registerAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call, errorOf, origin } from "../support/gateway";

describe("GET /v1/generation", () => {
  it("returns the caller's own request with tokens, cost and latency, and 404 for anyone else", async () => {
    const account = await registerAccount();
    await priceModel("openai", "fixture:openai/chat-completion-text?case=generation", {
      prompt: "0.000001",
      completion: "0.000002",
    });
    const response = await call("/v1/chat/completions", {
      method: "POST",
      key: account.apiKey,
      json: {
        model: "openai/fixture:openai/chat-completion-text?case=generation",
        messages: [{ role: "user", content: "x" }],
      },
    });
    const completion = (await response.json()) as {
      usage: { prompt_tokens: number; completion_tokens: number; cost: number };
    };
    const id = response.headers.get("x-request-id") ?? "";
    const generation = await eventually(async () => {
      const found = await call(`/v1/generation?id=${id}`, { key: account.apiKey });
      expect(found.status).toBe(200);
      return (await found.json()) as { data: Record<string, unknown> };
    });
    expect(generation.data).toMatchObject({
      id,
      model: "openai/fixture:openai/chat-completion-text?case=generation",
      provider: "openai",
      status: "completed",
      streamed: false,
      tokens_prompt: completion.usage.prompt_tokens,
      tokens_completion: completion.usage.completion_tokens,
      total_cost: completion.usage.cost,
      priced: true,
    });
    expect(Number(generation.data.latency_ms)).toBeGreaterThanOrEqual(0);

    const stranger = await registerAccount();
    const hidden = await call(`/v1/generation?id=${id}`, { key: stranger.apiKey });
    expect(hidden.status).toBe(404);
    expect((await errorOf(hidden)).error.code).toBe("generation_not_found");
    const missingId = await call("/v1/generation", { key: account.apiKey });
    expect(missingId.status).toBe(400);
  });
});

describe("upstream timeout", () => {
  it("answers 504 naming the provider when response headers do not arrive in time", async () => {
    const account = await registerAccount();
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request(`${origin}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${account.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "openai/fixture:openai/chat-completion-text?headers_after=1500",
          messages: [{ role: "user", content: "x" }],
        }),
      }),
      { ...env, UPSTREAM_TIMEOUT_MS: "200" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(504);
    expect(await errorOf(response)).toMatchObject({
      error: { code: "provider_timeout", message: "Provider 'openai' did not answer within 200 ms" },
    });
    const id = response.headers.get("x-request-id") ?? "";
    const logged = await eventually(async () => {
      const found = await call(`/v1/generation?id=${id}`, { key: account.apiKey });
      expect(found.status).toBe(200);
      return (await found.json()) as { data: Record<string, unknown> };
    });
    expect(logged.data).toMatchObject({ status: "failed", http_status: 504, total_cost: 0 });
  });
});
