// The AI-SDK front door: the seed's request and response shapes over the shared pipeline, billed on
// both the JSON and the streamed path (the seed's non-stream path skipped billing in dead code).
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { clearAuthCache } from "../../src/middleware/auth";
import { execute, registerAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call, errorOf } from "../support/gateway";
import { readSse } from "../support/sse";

const textModel = "openai/fixture:openai/chat-completion-text?case=ai-sdk";
const streamModel = "openai/fixture:openai/chat-stream-text-usage?case=ai-sdk";

async function billedRow(userId: number) {
  return eventually(async () => {
    const rows =
      await execute(sql`select r.endpoint, r.status, r.prompt_tokens, r.completion_tokens, r.cost_usd::text as cost,
        (select count(*)::int from credit_transactions c where c.user_id = r.user_id and c.type = 'api_usage') as charges
      from chat_completion_requests r where r.user_id = ${userId}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.charges).toBe(1);
    return rows[0];
  });
}

describe("POST /api/chat/ai-sdk", () => {
  beforeAll(async () => {
    await priceModel("openai", "fixture:openai/chat-completion-text?case=ai-sdk", {
      prompt: "0.000001",
      completion: "0.000002",
    });
    await priceModel("openai", "fixture:openai/chat-stream-text-usage?case=ai-sdk", {
      prompt: "0.000001",
      completion: "0.000002",
    });
  });

  it("answers in the AI SDK's shape and bills the request", async () => {
    const user = await registerAccount();
    const response = await call("/api/chat/ai-sdk", {
      method: "POST",
      key: user.apiKey,
      json: { model: textModel, messages: [{ role: "user", content: "Hello" }], temperature: 0.2, top_p: null },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & {
      choices: { message: { role: string; content: string }; finish_reason: string | null }[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(Object.keys(body).sort()).toEqual(["choices", "usage"]);
    expect(body.choices[0]?.message.role).toBe("assistant");
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);

    const row = await billedRow(user.userId);
    expect(row).toMatchObject({
      endpoint: "ai-sdk",
      status: "completed",
      prompt_tokens: body.usage.prompt_tokens,
      completion_tokens: body.usage.completion_tokens,
    });
    expect(Number(row?.cost)).toBeGreaterThan(0);
  });

  it("streams delta chunks, a finish chunk and [DONE] on /api/chat/ai-sdk-completions, and bills them", async () => {
    const user = await registerAccount();
    const response = await call("/api/chat/ai-sdk-completions", {
      method: "POST",
      key: user.apiKey,
      json: { model: streamModel, messages: [{ role: "user", content: "Stream" }], stream: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const { events } = await readSse(response);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as { choices: Record<string, unknown>[] });
    const finish = chunks.at(-1);
    expect(finish).toEqual({ choices: [{ finish_reason: "stop" }] });
    const deltas = chunks.slice(0, -1);
    expect(deltas.length).toBeGreaterThan(0);
    for (const chunk of deltas) {
      expect(chunk).toEqual({ choices: [{ delta: { role: "assistant", content: expect.any(String) } }] });
    }
    const row = await billedRow(user.userId);
    expect(row).toMatchObject({ endpoint: "ai-sdk", status: "completed" });
    expect(Number(row?.cost)).toBeGreaterThan(0);
  });

  it("needs a key, refuses an expired trial with 403 and bad input with 400", async () => {
    const json = { model: textModel, messages: [{ role: "user", content: "x" }] };
    expect((await call("/api/chat/ai-sdk", { method: "POST", json })).status).toBe(401);
    const user = await registerAccount();
    for (const bad of [
      { model: textModel },
      { ...json, temperature: 3 },
      { ...json, messages: [{ role: "tool", content: "x" }] },
    ]) {
      expect((await call("/api/chat/ai-sdk", { method: "POST", key: user.apiKey, json: bad })).status).toBe(400);
    }
    await execute(sql`update users set trial_expires_at = now() - interval '1 day' where id = ${user.userId}`);
    clearAuthCache(); // the key's identity was cached by the calls above
    const expired = await call("/api/chat/ai-sdk", { method: "POST", key: user.apiKey, json });
    expect(expired.status).toBe(403);
    expect((await errorOf(expired)).error.code).toBe("trial_expired");
  });
});
