// Prices from the synced catalog drive what a request costs: tokens × the synced per-token prices,
// to the nano-dollar, in the response, the request log and the ledger.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDecimal } from "../../src/lib/money";
import { execute, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { setScenario } from "../support/catalog-scenario";
import { eventually } from "../support/eventually";
import { call } from "../support/gateway";

const model = "openrouter/anthropic/claude-haiku-4.5";

/** USD per token × tokens, exactly, as a 9-decimal string (prices have at most 15 decimals). */
function exactCost(tokens: [number, string | null][]): string {
  const femto = tokens.reduce((sum, [count, price]) => sum + BigInt(count) * parseDecimal(price ?? "0", 15), 0n);
  const nanos = femto / 1_000_000n;
  return `${nanos / 1_000_000_000n}.${(nanos % 1_000_000_000n).toString().padStart(9, "0")}`;
}

describe("billing from synced prices", () => {
  beforeAll(async () => {
    const synced = await call("/admin/model-sync/provider/openrouter", { method: "POST", key: TEST_ADMIN_API_KEY });
    expect(synced.status).toBe(200);
    // The mock answers this catalog model with OpenRouter's recorded completion (16 + 13 tokens).
    await setScenario(env.TEST_MOCK_UPSTREAM_URL, {
      replies: { "anthropic/claude-haiku-4.5": "openai-compatible/openrouter/chat-completion-text" },
    });
  });

  afterAll(() => setScenario(env.TEST_MOCK_UPSTREAM_URL, {}));

  it("a request costs its tokens × the catalog's synced prices, charged once to the ledger", async () => {
    const listing = await call(`/v1/models/${model}`);
    const { pricing } = (await listing.json()) as { pricing: { prompt: string; completion: string } };
    expect(pricing).toMatchObject({ prompt: "0.000001", completion: "0.000005" });

    const account = await registerAccount();
    const response = await call("/v1/chat/completions", {
      method: "POST",
      key: account.apiKey,
      json: { model, messages: [{ role: "user", content: "What is 2 + 2?" }] },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      usage: { prompt_tokens: number; completion_tokens: number; cost: number };
    };
    expect(body.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 13 });
    const expected = exactCost([
      [body.usage.prompt_tokens, pricing.prompt],
      [body.usage.completion_tokens, pricing.completion],
    ]);
    // 16 × $0.000001 + 13 × $0.000005: the same $0.000081 OpenRouter itself reported for this call.
    expect(expected).toBe("0.000081000");
    expect(body.usage.cost).toBe(Number(expected));

    const requestId = response.headers.get("x-request-id") ?? "";
    const [logged] = await eventually(async () => {
      const rows = await execute(sql`select cost_usd, priced, model_id from chat_completion_requests
        where request_id = ${requestId}`);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(logged).toMatchObject({ cost_usd: expected, priced: true });
    const [catalogRow] = await execute(sql`select m.id from models m join providers p on p.id = m.provider_id
      where p.slug = 'openrouter' and m.provider_model_id = 'anthropic/claude-haiku-4.5'`);
    expect(logged?.model_id).toBe(catalogRow?.id);
    const ledger = await execute(
      sql`select amount from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
    );
    expect(ledger).toEqual([{ amount: `-${expected}` }]);
  });
});
