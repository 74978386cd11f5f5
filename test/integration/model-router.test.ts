// Model routers end to end: decisions for representative prompts in each mode (POST /code-router/test),
// then real `router:*` requests through the app against the mock upstream, with tiers pointed at
// fixture models through the admin endpoint: the header, the log row, the charge, the decision row,
// the key's allowlist, /v1/messages, and the stats. One file: the tests run in order over shared tiers.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { createKey, execute, registerAccount, type TestAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call, origin, uniqueIp } from "../support/gateway";
import type { RecordedRequest } from "../support/mock-upstream";
import { readSse } from "../support/sse";

const textModel = "openai/fixture:openai/chat-completion-text?case=router";
const allowedOnly = "openai/fixture:openai/chat-completion-text?case=router-allowed";
const streamModel = "openai/fixture:openai/chat-stream-text-usage?case=router";
const messagesModel = "anthropic/fixture:anthropic/messages-text?case=router";

const bugPrompt = `My Express server crashes when I call GET /users:
\`\`\`
TypeError: Cannot read properties of undefined (reading 'map')
    at getUsers (/app/src/routes/users.js:14:22)
\`\`\`
How do I fix it?`;
const simpleCode = "Write a Python function that reverses a string.";
const greeting = "Hello! How are you today?";

interface Tier {
  id: number;
  router: string;
  tier: number;
  models: { id: string; price_input_per_million: number | null }[];
}

async function tiers(): Promise<Tier[]> {
  const response = await call("/code-router/tiers");
  expect(response.status).toBe(200);
  return ((await response.json()) as { tiers: Tier[] }).tiers;
}

async function setTier(router: string, tier: number, models: string[]): Promise<void> {
  const row = (await tiers()).find((entry) => entry.router === router && entry.tier === tier);
  const response = await call(`/code-router/tiers/${row?.id}`, {
    method: "PUT",
    key: TEST_ADMIN_API_KEY,
    json: { models },
  });
  expect(response.status).toBe(200);
}

async function logRow(requestId: string): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const [row] = await execute(
      sql`select requested_model, provider, upstream_model, stream, status, cost_usd::text as cost,
                 (prompt_tokens * 0.000001 + completion_tokens * 0.000002)::numeric(20, 9)::text as expected_cost
          from chat_completion_requests where request_id = ${requestId}`,
    );
    expect(row).toBeDefined();
    return row as Record<string, unknown>;
  });
}

async function decisionRow(requestId: string): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const [row] = await execute(
      sql`select router_model, router, mode, category, complexity, tier, to_jsonb(candidates) as candidates
          from router_decisions where request_id = ${requestId}`,
    );
    expect(row).toBeDefined();
    return row as Record<string, unknown>;
  });
}

const chat = (key: string, model: string, content: string, extra: Record<string, unknown> = {}) =>
  call("/v1/chat/completions", {
    method: "POST",
    key,
    json: { model, messages: [{ role: "user", content }], ...extra },
  });

describe("model routers", () => {
  let account: TestAccount;

  beforeAll(async () => {
    account = await registerAccount();
    for (const model of [textModel, streamModel, allowedOnly]) {
      await priceModel("openai", model.slice("openai/".length), { prompt: "0.000001", completion: "0.000002" });
    }
    await priceModel("openai", "gpt-4o", { prompt: "0.0000025", completion: "0.00001" });
    await priceModel("openai", "gpt-4.1-mini", { prompt: "0.0000004", completion: "0.0000016" });
    await priceModel("anthropic", messagesModel.slice("anthropic/".length), {
      prompt: "0.000001",
      completion: "0.000002",
    });
  });

  it("lists the seeded default tiers with catalog prices", async () => {
    const listed = await tiers();
    expect(listed.map((tier) => `${tier.router}:${tier.tier}`)).toEqual([
      "code:1",
      "code:2",
      "code:3",
      "code:4",
      "general:1",
      "general:2",
      "general:3",
      "general:4",
    ]);
    const code3 = listed.find((tier) => tier.router === "code" && tier.tier === 3);
    expect(code3?.models[0]).toMatchObject({ id: "openai/gpt-4.1-mini", price_input_per_million: 0.4 });
    expect(listed.find((tier) => tier.router === "code" && tier.tier === 1)?.models[0]?.id).toBe(
      "anthropic/claude-opus-4",
    );
  });

  it("decides per prompt and mode without calling a model", async () => {
    const before = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
    const decide = async (prompt: string, mode: string, router = "code") => {
      const response = await call("/code-router/test", { method: "POST", json: { prompt, mode, router } });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown> & { savings_estimate: Record<string, unknown> };
    };
    expect(await decide(bugPrompt, "auto")).toMatchObject({
      task_category: "debugging",
      complexity: "medium",
      tier: 2,
      mode: "balanced",
      router_model: "router:code",
      model_id: "anthropic/claude-sonnet-4",
      provider: "anthropic",
    });
    const price = await decide(bugPrompt, "price");
    expect(price).toMatchObject({ tier: 3, model_id: "openai/gpt-4.1-mini", router_model: "router:code:price" });
    // gpt-4.1-mini vs gpt-4o on 1,000 input + 500 output tokens: $0.0012 vs $0.0075.
    expect(price.savings_estimate).toMatchObject({
      model_cost_usd: 0.0012,
      baselines: [
        { model: "openai/gpt-4o", cost_usd: 0.0075, savings_usd: 0.0063, savings_percent: 84 },
        { model: "anthropic/claude-3.5-sonnet", cost_usd: null, savings_usd: null },
      ],
    });
    expect(await decide(bugPrompt, "quality")).toMatchObject({ tier: 1, model_id: "anthropic/claude-opus-4" });
    expect(await decide(greeting, "agentic")).toMatchObject({ tier: 1, task_category: "general_chat" });
    expect(await decide(greeting, "auto", "auto")).toMatchObject({
      task_category: "general_chat",
      complexity: "low",
      tier: 4,
      tier_table: "general",
      model_id: "openai/gpt-4o-mini",
    });
    const after = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
    expect(after.length).toBe(before.length);
  });

  it("routes router:code to the tier's model: header, log row and charge of the chosen model", async () => {
    await setTier("code", 3, [textModel]);
    const response = await chat(account.apiKey, "router:code", simpleCode);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-routed-model")).toBe(textModel);
    expect(response.headers.get("x-gateway-routing")).toBe(
      "router=code; mode=balanced; category=code_generation; complexity=low; confidence=0.90; tier=3",
    );
    const body = (await response.json()) as { usage: { cost: number } };
    const requestId = response.headers.get("x-request-id") ?? "";
    const row = await logRow(requestId);
    expect(row).toMatchObject({
      requested_model: "router:code",
      provider: "openai",
      upstream_model: "fixture:openai/chat-completion-text?case=router",
      status: "completed",
    });
    // Charged at the chosen model's prices (1e-6 / 2e-6 per token), in the log, the body and the ledger.
    expect(row.cost).toBe(row.expected_cost);
    expect(Number(row.cost)).toBeGreaterThan(0);
    expect(body.usage.cost).toBe(Number(row.cost));
    const ledger = await execute(
      sql`select amount::text as amount from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
    );
    expect(ledger).toEqual([{ amount: `-${row.cost}` }]);
    expect(await decisionRow(requestId)).toEqual({
      router_model: "router:code",
      router: "code",
      mode: "balanced",
      category: "code_generation",
      complexity: "low",
      tier: 3,
      // The routable candidates, at most four: the tier's own, then the better tier's (failover).
      candidates: [textModel, "anthropic/claude-sonnet-4", "openai/gpt-4.1", "google/gemini-2.5-pro"],
    });
  });

  it("says which model a routed stream went to", async () => {
    await setTier("code", 1, [streamModel]);
    const response = await chat(account.apiKey, "router:code:quality", bugPrompt, { stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("x-gateway-routed-model")).toBe(streamModel);
    expect(response.headers.get("x-gateway-routing")).toContain("category=debugging");
    const { events } = await readSse(response);
    expect(events.at(-1)).toBe("[DONE]");
    const row = await logRow(response.headers.get("x-request-id") ?? "");
    expect(row).toMatchObject({
      requested_model: "router:code:quality",
      upstream_model: "fixture:openai/chat-stream-text-usage?case=router",
      stream: true,
    });
    expect(row.cost).toBe(row.expected_cost);
  });

  it("falls back along the list to a model the key may use, and refuses when it may use none", async () => {
    await setTier("code", 3, [textModel, allowedOnly]);
    const restricted = await createKey(account, { allowed_models: [allowedOnly] });
    const fallback = await chat(restricted.apiKey, "router:code", simpleCode);
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get("x-gateway-routed-model")).toBe(allowedOnly);

    const routerAllowed = await createKey(account, { allowed_models: ["router:code"] });
    const first = await chat(routerAllowed.apiKey, "router:code", simpleCode);
    expect(first.headers.get("x-gateway-routed-model")).toBe(textModel);

    const none = await createKey(account, { allowed_models: ["openai/gpt-4o"] });
    const refused = await chat(none.apiKey, "router:code", simpleCode);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("model_not_allowed");
  });

  it("routes /v1/messages too (router:general, Anthropic pass-through)", async () => {
    await setTier("general", 4, [messagesModel]);
    const response = await call("/v1/messages", {
      method: "POST",
      key: account.apiKey,
      json: { model: "router:general", max_tokens: 50, messages: [{ role: "user", content: greeting }] },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-routed-model")).toBe(messagesModel);
    expect(((await response.json()) as { type: string }).type).toBe("message");
    const row = await logRow(response.headers.get("x-request-id") ?? "");
    expect(row).toMatchObject({
      requested_model: "router:general",
      provider: "anthropic",
      upstream_model: "fixture:anthropic/messages-text?case=router",
    });
  });

  it("reports routing decisions from the request log (admin)", async () => {
    // Log and decision rows land after the responses: wait until all five routed requests are in.
    await eventually(async () => {
      const response = await call("/code-router/stats?hours=1", { key: TEST_ADMIN_API_KEY });
      expect(response.status).toBe(200);
      const { stats } = (await response.json()) as { stats: Record<string, unknown> };
      expect(stats).toMatchObject({
        tiers_loaded: 8,
        baselines: ["openai/gpt-4o", "anthropic/claude-3.5-sonnet"],
        routed_requests: 5,
        completed: 5,
        failed: 0,
      });
      expect(stats.by_model).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            router_model: "router:code",
            provider: "openai",
            model: "fixture:openai/chat-completion-text?case=router",
            requests: 2,
            completed: 2,
          }),
          expect.objectContaining({ router_model: "router:general", provider: "anthropic", requests: 1 }),
        ]),
      );
      expect(stats.by_classification).toEqual(
        expect.arrayContaining([
          { category: "code_generation", complexity: "low", tier: 3, requests: 3 },
          { category: "debugging", complexity: "medium", tier: 1, requests: 1 },
        ]),
      );
    });
  });
  it("routes anonymous use only to candidates on the anonymous allowlist", async () => {
    const anonymous = async (allowlist: string) => {
      const ctx = createExecutionContext();
      const response = await createApp().fetch(
        new Request(`${origin}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": uniqueIp() },
          body: JSON.stringify({ model: "router:general", messages: [{ role: "user", content: greeting }] }),
        }),
        { ...env, ANONYMOUS_ALLOWED_MODELS: allowlist },
        ctx,
      );
      const text = await response.text();
      await waitOnExecutionContext(ctx);
      return new Response(text, response);
    };
    // General tier 4 is [messagesModel] since the /v1/messages test; no default model is on the list.
    const refused = await anonymous("router:general");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("model_not_allowed");
    const served = await anonymous(`router:general,${messagesModel}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("x-gateway-routed-model")).toBe(messagesModel);
  });
});
