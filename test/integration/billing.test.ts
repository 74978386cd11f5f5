import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { type InferenceRecord, settleInference } from "../../src/db/inference";
import { outboxNameFor } from "../../src/durable-objects/settlement-outbox";
import { readConfig } from "../../src/env";
import { settleDurably } from "../../src/gateway/outbox";
import { execute, registerAccount, type TestAccount, withDatabase } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call, errorOf } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";
import type { RecordedRequest } from "../support/mock-upstream";
import { readSse } from "../support/sse";

// Model ids of this file only (the mock ignores `?case=`): other files price the same fixtures differently.
const textModel = "openai/fixture:openai/chat-completion-text?case=billing";
const streamModel = "openai/fixture:openai/chat-stream-text-usage?case=billing";

const chat = (account: TestAccount, json: Record<string, unknown>) =>
  call("/v1/chat/completions", { method: "POST", key: account.apiKey, json });

async function balanceText(userId: number): Promise<string> {
  const [row] = await execute(
    sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${userId}`,
  );
  return String(row?.balance);
}

async function settledRows(requestIds: string[]): Promise<Record<string, unknown>[]> {
  return eventually(async () => {
    const rows = await execute(
      sql`select request_id, cost_usd from chat_completion_requests where request_id = any(${`{${requestIds.join(",")}}`}::text[])`,
    );
    expect(rows).toHaveLength(requestIds.length);
    return rows;
  });
}

describe("billing", () => {
  beforeAll(async () => {
    await priceModel("openai", "fixture:openai/chat-completion-text?case=billing", {
      prompt: "0.0000001",
      completion: "0.0000004",
    });
    await priceModel("openai", "fixture:openai/chat-stream-text-usage?case=billing", {
      prompt: "0.00000015",
      completion: "0.0000006",
      request: "0.0001",
    });
  });

  it("leaves balance = start − the sum of logged costs, to the nano-dollar, streamed or not", async () => {
    const account = await registerAccount();
    const start = await balanceText(account.userId);
    const requestIds: string[] = [];
    for (let index = 0; index < 6; index++) {
      const stream = index % 2 === 1;
      const response = await chat(account, {
        model: stream ? streamModel : textModel,
        messages: [{ role: "user", content: `request ${index}` }],
        stream,
      });
      expect(response.status).toBe(200);
      if (stream) await readSse(response);
      else await response.json();
      requestIds.push(response.headers.get("x-request-id") ?? "");
    }
    const rows = await settledRows(requestIds);
    const [sum] = await execute(
      sql`select sum(cost_usd)::text as total from chat_completion_requests where request_id = any(${`{${requestIds.join(",")}}`}::text[])`,
    );
    expect(Number(sum?.total)).toBeGreaterThan(0);
    const [check] = await execute(sql`select (${start}::numeric - ${String(sum?.total)}::numeric)::text as expected`);
    expect(await balanceText(account.userId)).toBe(check?.expected);
    expect(rows.every((row) => row.cost_usd !== "0.000000000")).toBe(true);
  });

  it("never charges a retried settlement twice", async () => {
    const account = await registerAccount();
    const start = await balanceText(account.userId);
    const requestId = `retry-${crypto.randomUUID()}`;
    const first = await withDatabase((db) =>
      settleInference(db, inferenceRecord(account.userId, requestId, "0.123456789")),
    );
    const second = await withDatabase((db) =>
      settleInference(db, inferenceRecord(account.userId, requestId, "0.123456789")),
    );
    expect(first).toMatchObject({ logged: true, charged: true });
    expect(second).toEqual({ logged: false, charged: false, balanceAfter: null });
    const [expected] = await execute(sql`select (${start}::numeric - 0.123456789)::text as value`);
    expect(await balanceText(account.userId)).toBe(expected?.value);
    const ledger = await execute(
      sql`select amount from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
    );
    expect(ledger).toEqual([{ amount: "-0.123456789" }]);
  });

  it("spends the subscription allowance before purchased credits", async () => {
    const account = await registerAccount();
    await execute(
      sql`update users set subscription_allowance = 0.000001, purchased_credits = 5 where id = ${account.userId}`,
    );
    await withDatabase((db) =>
      settleInference(db, inferenceRecord(account.userId, `alloc-${crypto.randomUUID()}`, "0.000003")),
    );
    const [row] = await execute(
      sql`select subscription_allowance, purchased_credits from users where id = ${account.userId}`,
    );
    expect(row).toEqual({ subscription_allowance: "0.000000000", purchased_credits: "4.999998000" });
  });

  it.skipIf(env.TEST_POSTGRES_KIND !== "postgres")(
    "serialises concurrent charges: no lost update, a chained ledger, overdraft bounded by the in-flight costs (real PostgreSQL)",
    async () => {
      const account = await registerAccount();
      await execute(sql`update users set purchased_credits = 0.000010000 where id = ${account.userId}`);
      const cost = "0.000003000";
      const requestIds = Array.from({ length: 8 }, () => `race-${crypto.randomUUID()}`);
      await Promise.all(
        requestIds.map((id) => withDatabase((db) => settleInference(db, inferenceRecord(account.userId, id, cost)))),
      );
      // 10 µ$ − 8 × 3 µ$: every charge landed, none lost; the overdraft is exactly the in-flight costs beyond the balance.
      expect(await balanceText(account.userId)).toBe("-0.000014000");
      const ledger = await execute(
        sql`select balance_before, balance_after from credit_transactions where user_id = ${account.userId} and type = 'api_usage' order by id`,
      );
      expect(ledger).toHaveLength(8);
      for (let index = 1; index < ledger.length; index++) {
        expect(ledger[index]?.balance_before).toBe(ledger[index - 1]?.balance_after);
      }
      // Once the balance is at or below zero, new requests are refused before reaching a provider.
      const refused = await chat(account, { model: textModel, messages: [{ role: "user", content: "x" }] });
      expect(refused.status).toBe(402);
      expect((await errorOf(refused)).error.code).toBe("insufficient_credits");
    },
  );
});

describe("client disconnect", () => {
  it("aborts the upstream request and still settles the tokens produced so far", async () => {
    const account = await registerAccount();
    await priceModel("openai", "fixture:openai/chat-stream-text-no-usage?delay=50", {
      prompt: "0.000001",
      completion: "0.000001",
    });
    const model = "openai/fixture:openai/chat-stream-text-no-usage?delay=50";
    const response = await chat(account, {
      model,
      messages: [{ role: "user", content: "Tell me a long story" }],
      stream: true,
    });
    const requestId = response.headers.get("x-request-id") ?? "";
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    await reader.read();
    await reader.read();
    await reader.cancel();

    const row = await eventually(async () => {
      const [found] = await execute(sql`select * from chat_completion_requests where request_id = ${requestId}`);
      expect(found).toBeDefined();
      return found as Record<string, unknown>;
    });
    expect(row).toMatchObject({
      status: "failed",
      http_status: 499,
      error_message: "client disconnected",
      usage_estimated: true,
    });
    expect(Number(row.prompt_tokens)).toBeGreaterThan(0);
    expect(row.cost_usd).not.toBe("0.000000000");
    const upstream = await eventually(async () => {
      const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
      const sent = requests
        .filter((request) => request.body.model === "fixture:openai/chat-stream-text-no-usage?delay=50")
        .at(-1);
      expect(sent?.aborted).toBe(true);
      return sent;
    });
    expect(upstream?.body.stream).toBe(true);
  });
});

describe("a price lookup that failed never makes a request free", () => {
  it("prices the record from the catalog when it is applied, directly or through the outbox", async () => {
    const model = "fixture:openai/chat-completion-text?case=late-pricing";
    await priceModel("openai", model, { prompt: "0.000001", completion: "0.000002" });
    const account = await registerAccount();
    const start = await balanceText(account.userId);
    // 10 prompt + 5 completion tokens at $1/$2 per million: 0.00002 USD each.
    const unpriced = (requestId: string): InferenceRecord => ({
      ...inferenceRecord(account.userId, requestId, "0.000000000"),
      upstreamModel: model,
      priced: false,
      needsPricing: true,
    });

    const direct = `late-${crypto.randomUUID()}`;
    const handle = openDatabase(readConfig(env));
    try {
      await settleDurably({ env, db: () => handle.db }, unpriced(direct));
    } finally {
      await handle.close();
    }
    const outboxed = `late-${crypto.randomUUID()}`;
    const shard = env.SETTLEMENT_OUTBOX?.getByName(outboxNameFor(account.userId));
    if (!shard) throw new Error("SETTLEMENT_OUTBOX not bound");
    await shard.enqueue(unpriced(outboxed));
    await runDurableObjectAlarm(shard);

    const rows = await eventually(async () => {
      const found = await execute(
        sql`select request_id, cost_usd, priced from chat_completion_requests where request_id in (${direct}, ${outboxed})`,
      );
      expect(found).toHaveLength(2);
      return found;
    });
    expect(rows.map((row) => [row.cost_usd, row.priced])).toEqual([
      ["0.000020000", true],
      ["0.000020000", true],
    ]);
    const [expected] = await execute(sql`select (${start}::numeric - 0.00004)::text as balance`);
    expect(await balanceText(account.userId)).toBe(expected?.balance);
  });
});
