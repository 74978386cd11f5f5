// The concurrency gate on the real inference path: a provider limited to 1 concurrent request with a
// queue of 1. Three requests at once: one runs, one waits in the queue, one is refused at once; the
// waiting one gets its turn when the first ends (or a 503 when it waits too long).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { registerAccount } from "../support/accounts";
import { errorOf, origin } from "../support/gateway";

async function chat(key: string, model: string, overrides: Record<string, string>): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${origin}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "cf-connecting-ip": "192.0.2.90" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "x" }] }),
    }),
    { ...env, ...overrides },
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, response);
}

describe("concurrency gate on the inference path", () => {
  it("admits the limit, queues up to the queue size, refuses the rest with 503 and Retry-After", async () => {
    const account = await registerAccount();
    // The upstream holds its answer 1.5 s; a queued request may wait 4 s, so it gets the freed slot.
    const gate = { XAI_MAX_CONCURRENCY: "1", CONCURRENCY_QUEUE_SIZE: "1", CONCURRENCY_QUEUE_TIMEOUT_MS: "4000" };
    const slow = "xai/fixture:openai/chat-completion-text?headers_after=1500&case=gate";
    const first = chat(account.apiKey, slow, gate);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const queued = chat(account.apiKey, slow, gate);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await chat(account.apiKey, slow, gate);
    expect(refused.status).toBe(503);
    expect((await errorOf(refused)).error.code).toBe("concurrency_limit");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await first).status).toBe(200);
    expect((await queued).status).toBe(200);
  });

  it("gives up on a queued request after the queue timeout with 503", async () => {
    const account = await registerAccount();
    const gate = { OPENROUTER_MAX_CONCURRENCY: "1", CONCURRENCY_QUEUE_SIZE: "5", CONCURRENCY_QUEUE_TIMEOUT_MS: "300" };
    const slow = "openrouter/fixture:openai/chat-completion-text?headers_after=1500&case=gate-timeout";
    const first = chat(account.apiKey, slow, gate);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waited = await chat(account.apiKey, slow, gate);
    expect(waited.status).toBe(503);
    expect((await errorOf(waited)).error.message).toMatch(/no slot freed|concurrency/i);
    expect((await first).status).toBe(200);
  });
});
