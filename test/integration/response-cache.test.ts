// The response cache: opt-in per request (body or header) or by preference; a hit returns the
// original bytes, is logged with cost 0 and the cost it saved, and is never billed twice.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call } from "../support/gateway";

const model = "openai/fixture:openai/chat-completion-text?case=response-cache";
const streamModel = "openai/fixture:openai/chat-stream-text-usage?case=response-cache";

const ask = (account: TestAccount, json: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call("/v1/chat/completions", { method: "POST", key: account.apiKey, json, headers });

async function requestsOf(userId: number, count: number) {
  return eventually(async () => {
    const rows = await execute(sql`select cache_hit, cost_usd::text as cost, saved_cost_usd::text as saved,
        prompt_tokens, completion_tokens
      from chat_completion_requests where user_id = ${userId} order by id`);
    expect(rows).toHaveLength(count);
    return rows;
  });
}

async function chargesOf(userId: number): Promise<number> {
  const [row] = await execute(
    sql`select count(*)::int as n from credit_transactions where user_id = ${userId} and type = 'api_usage'`,
  );
  return Number(row?.n);
}

describe("response cache", () => {
  beforeAll(async () => {
    for (const id of [
      "fixture:openai/chat-completion-text?case=response-cache",
      "fixture:openai/chat-stream-text-usage?case=response-cache",
    ]) {
      await priceModel("openai", id, { prompt: "0.00001", completion: "0.00002" });
    }
  });

  it("serves the same question a second time from the cache: identical bytes, cost 0, the saving logged", async () => {
    const user = await registerAccount();
    const question = { model, messages: [{ role: "user", content: `cache me ${user.userId}` }], cache: true };
    const first = await ask(user, question);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-gateway-cache")).toBe("miss");
    const original = await first.text();
    await requestsOf(user.userId, 1);

    // Key order and the stream flag do not matter; the answer is stored once the request completed.
    const second = await eventually(async () => {
      const response = await ask(user, { cache: true, messages: question.messages, model, stream: false });
      expect(response.headers.get("x-gateway-cache")).toBe("hit");
      return response;
    });
    expect(await second.text()).toBe(original);

    const rows = await requestsOf(user.userId, 2);
    expect(rows[0]).toMatchObject({ cache_hit: false });
    expect(Number(rows[0]?.cost)).toBeGreaterThan(0);
    expect(rows[1]).toMatchObject({
      cache_hit: true,
      cost: "0.000000000",
      saved: rows[0]?.cost,
      prompt_tokens: rows[0]?.prompt_tokens,
      completion_tokens: rows[0]?.completion_tokens,
    });
    expect(await chargesOf(user.userId)).toBe(1);

    const analytics = await call("/v1/analytics/cache?days=7", { key: user.apiKey });
    expect(await analytics.json()).toMatchObject({
      period_days: 7,
      total_requests: 2,
      cache_hits: 1,
      cache_misses: 1,
      cache_hit_rate_percent: 50,
      total_savings_usd: Number(rows[0]?.cost),
      cache_enabled: false,
      top_cached_models: [{ model_name: model, cache_hits: 1, total_requests: 2, cache_hit_rate_percent: 50 }],
    });
    const summary = await call("/v1/analytics/cache/summary", { key: user.apiKey });
    expect(await summary.json()).toMatchObject({ total_requests: 2, cache_hits: 1 });
  });

  it("replays a cached stream byte for byte (header opt-in)", async () => {
    const user = await registerAccount();
    const question = {
      model: streamModel,
      stream: true,
      messages: [{ role: "user", content: `stream ${user.userId}` }],
    };
    const first = await ask(user, question, { "x-gateway-cache": "true" });
    const original = await first.text();
    expect(first.headers.get("content-type")).toContain("text/event-stream");
    const second = await eventually(async () => {
      const response = await ask(user, question, { "x-gateway-cache": "true" });
      expect(response.headers.get("x-gateway-cache")).toBe("hit");
      return response;
    });
    expect(second.headers.get("content-type")).toContain("text/event-stream");
    expect(await second.text()).toBe(original);
    expect(await chargesOf(user.userId)).toBe(1);
  });

  it("is off unless asked, per user, and follows the account preference (an explicit false wins)", async () => {
    const user = await registerAccount();
    const other = await registerAccount();
    const question = { model, messages: [{ role: "user", content: "shared question" }] };
    await ask(user, question);
    const uncached = await ask(user, question);
    expect(uncached.headers.get("x-gateway-cache")).toBeNull();

    await ask(user, { ...question, cache: true });
    await eventually(async () => {
      expect((await ask(user, { ...question, cache: true })).headers.get("x-gateway-cache")).toBe("hit");
    });
    // Another user asking the same thing never gets this user's entry.
    expect((await ask(other, { ...question, cache: true })).headers.get("x-gateway-cache")).toBe("miss");

    const preference = await call("/user/preferences", {
      method: "PATCH",
      key: user.apiKey,
      json: { response_cache: true },
    });
    expect(await preference.json()).toEqual({ preferences: { response_cache: true } });
    expect((await ask(user, question)).headers.get("x-gateway-cache")).toBe("hit");
    expect((await ask(user, { ...question, cache: false })).headers.get("x-gateway-cache")).toBeNull();
    expect((await call("/user/preferences", { method: "PATCH", key: user.apiKey, json: { nope: 1 } })).status).toBe(
      400,
    );
  });
});
