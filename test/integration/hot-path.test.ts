// Hot-path behaviour the benchmark relies on: streamed chunks pass through untouched, and the credit
// pre-check answers from the isolate's memory while the balance is comfortably positive.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { eventually } from "../support/eventually";
import { call, errorOf } from "../support/gateway";
import { readSse } from "../support/sse";

const streamModel = "openai/fixture:openai/chat-stream-text-usage?case=hot-path";
const textModel = "openai/fixture:openai/chat-completion-text?case=hot-path";

const chat = (account: TestAccount, json: Record<string, unknown>) =>
  call("/v1/chat/completions", { method: "POST", key: account.apiKey, json });

const ask = (account: TestAccount) => chat(account, { model: textModel, messages: [{ role: "user", content: "x" }] });

async function setBalance(userId: number, usd: string): Promise<void> {
  await execute(sql`update users set subscription_allowance = 0, purchased_credits = ${usd} where id = ${userId}`);
}

describe("streaming pass-through", () => {
  it("forwards each upstream chunk byte for byte; only the usage chunk gains the cost", async () => {
    const recorded = await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__fixtures/openai/chat-stream-text-usage.sse`);
    const upstream = await readSse(recorded);
    const account = await registerAccount();
    const response = await chat(account, {
      model: streamModel,
      messages: [{ role: "user", content: "Count to three" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    const { events } = await readSse(response);
    expect(events).toHaveLength(upstream.events.length);
    // Every content chunk is the upstream's exact JSON text (key order, spacing, unknown fields kept).
    expect(events.slice(0, -2)).toEqual(upstream.events.slice(0, -2));
    const usageChunk = JSON.parse(events.at(-2) ?? "{}") as { usage: { cost: number }; choices: unknown[] };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.cost).toEqual(expect.any(Number));
    expect(events.at(-1)).toBe("[DONE]");
  });
});

describe("credit pre-check from memory", () => {
  it("while the balance is above the re-check threshold, a balance drop elsewhere shows within the TTL", async () => {
    const account = await registerAccount();
    const first = await ask(account); // seen: $5, well above the $1 threshold
    expect(first.status).toBe(200);
    // Let its settlement land first (it also refreshes the remembered balance).
    const requestId = first.headers.get("x-request-id");
    await eventually(async () => {
      const rows = await execute(sql`select 1 from chat_completion_requests where request_id = ${requestId}`);
      expect(rows).toHaveLength(1);
    });
    await setBalance(account.userId, "0");
    // Admitted from memory: the documented bound (another isolate's spending within one TTL).
    expect((await ask(account)).status).toBe(200);
  });

  it("below the threshold every request re-reads the balance, so zero refuses at once", async () => {
    const account = await registerAccount();
    await setBalance(account.userId, "0.5");
    expect((await ask(account)).status).toBe(200);
    await setBalance(account.userId, "0");
    const refused = await ask(account);
    expect(refused.status).toBe(402);
    expect((await errorOf(refused)).error.code).toBe("insufficient_credits");
  });

  it("a refused user is admitted as soon as credit arrives (a non-positive balance is never trusted)", async () => {
    const account = await registerAccount();
    await setBalance(account.userId, "0");
    expect((await ask(account)).status).toBe(402);
    await setBalance(account.userId, "2");
    expect((await ask(account)).status).toBe(200);
  });
});

describe("key use on inference", () => {
  it("is counted once per request by the settlement statement itself", async () => {
    const account = await registerAccount();
    const [before] = await execute(sql`select requests_used from api_keys where id = ${account.apiKeyId}`);
    const requestIds: string[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await ask(account);
      expect(response.status).toBe(200);
      requestIds.push(response.headers.get("x-request-id") ?? "");
    }
    await eventually(async () => {
      const [row] = await execute(sql`select requests_used, last_used_at from api_keys where id = ${account.apiKeyId}`);
      expect(row?.requests_used).toBe(Number(before?.requests_used) + 3);
      expect(row?.last_used_at).not.toBeNull();
    });
    const logged = await execute(
      sql`select count(*)::int as n from chat_completion_requests where request_id = any(${`{${requestIds.join(",")}}`}::text[])`,
    );
    expect(logged).toEqual([{ n: 3 }]);
  });
});
