import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { execute } from "../support/accounts";
import { eventually } from "../support/eventually";
import { errorOf, origin, uniqueIp } from "../support/gateway";

const freeModel = "openai/fixture:openai/chat-completion-text?case=anonymous";

/** The real app with anonymous use switched on for one model, 2 requests per minute per IP. */
async function anonymousChat(model: string, ip: string, anonymousModels = freeModel): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${origin}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "Hi" }] }),
    }),
    { ...env, ANONYMOUS_ALLOWED_MODELS: anonymousModels, ANONYMOUS_RATE_LIMIT_PER_MINUTE: "2" },
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, response);
}

describe("anonymous chat completions", () => {
  it("serves an allowed model without a key, logged without a user and charged to nobody", async () => {
    const response = await anonymousChat(freeModel, uniqueIp());
    expect(response.status).toBe(200);
    const id = response.headers.get("x-request-id") ?? "";
    const row = await eventually(async () => {
      const [found] = await execute(
        sql`select user_id, api_key_id, status from chat_completion_requests where request_id = ${id}`,
      );
      expect(found).toBeDefined();
      return found;
    });
    expect(row).toEqual({ user_id: null, api_key_id: null, status: "completed" });
    const ledger = await execute(sql`select id from credit_transactions where idempotency_key = ${`usage:${id}`}`);
    expect(ledger).toEqual([]);
  });

  it("refuses other models with 403", async () => {
    const response = await anonymousChat("openai/fixture:openai/chat-completion-json-mode", uniqueIp());
    expect(response.status).toBe(403);
    expect((await errorOf(response)).error.code).toBe("anonymous_model_not_allowed");
  });

  it("limits each IP (2 per minute here) with 429 and Retry-After", async () => {
    // A sliding window straddling a minute boundary weighs the previous minute: start well inside one.
    const toBoundary = 60_000 - (Date.now() % 60_000);
    if (toBoundary < 5_000) await new Promise((resolve) => setTimeout(resolve, toBoundary + 200));
    const ip = uniqueIp();
    const statuses = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      last = await anonymousChat(freeModel, ip);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await anonymousChat(freeModel, uniqueIp())).status).toBe(200);
  });

  it("still needs a key when no model is open to anonymous use", async () => {
    const response = await anonymousChat(freeModel, uniqueIp(), "");
    expect(response.status).toBe(401);
    expect((await errorOf(response)).error.code).toBe("missing_api_key");
  });
});
