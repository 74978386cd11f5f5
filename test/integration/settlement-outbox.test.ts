import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase, openSqlDatabase } from "../../src/db/client";
import { settleInference } from "../../src/db/inference";
import {
  OUTBOX_SHARDS,
  outboxNameFor,
  outboxShardNames,
  retryDelayMs,
  SettlementOutbox,
} from "../../src/durable-objects/settlement-outbox";
import { readConfig } from "../../src/env";
import type { InferenceContext } from "../../src/gateway/context";
import { outboxBacklog, type SettleResult, settleDurably } from "../../src/gateway/outbox";
import { type Outcome, settleLater } from "../../src/gateway/settle";
import { execute, registerAccount, withDatabase } from "../support/accounts";
import { call } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";

// A closed port: connecting fails at once, the way an unreachable Postgres does.
const unreachableDatabase = "postgres://postgres@127.0.0.1:1/none";

function shardOf(userId: number) {
  if (!env.SETTLEMENT_OUTBOX) throw new Error("SETTLEMENT_OUTBOX is not bound");
  return env.SETTLEMENT_OUTBOX.getByName(outboxNameFor(userId));
}

async function balanceText(userId: number): Promise<string> {
  const [row] = await execute(
    sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${userId}`,
  );
  return String(row?.balance);
}

async function minus(balance: string, cost: string): Promise<string> {
  const [row] = await execute(sql`select (${balance}::numeric - ${cost}::numeric)::text as value`);
  return String(row?.value);
}

async function writtenRows(requestId: string) {
  const [logs] = await execute(
    sql`select count(*)::int as n from chat_completion_requests where request_id = ${requestId}`,
  );
  const [ledger] = await execute(
    sql`select count(*)::int as n from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
  );
  return { logs: logs?.n, ledger: ledger?.n };
}

/** The shard's real class on its real storage, but whose own database is unreachable too. */
function alarmWithDatabaseDown(userId: number): Promise<void> {
  return runInDurableObject(shardOf(userId), (_outbox, state) =>
    new SettlementOutbox(state, { ...env, DATABASE_URL: unreachableDatabase }).alarm(),
  );
}

describe("settlement outbox", () => {
  it("keeps a settlement made while Postgres is unreachable and applies it once by alarm", async () => {
    const account = await registerAccount();
    const start = await balanceText(account.userId);
    const requestId = `outbox-${crypto.randomUUID()}`;
    const config = { ...readConfig(env), DATABASE_URL: unreachableDatabase };
    const broken = openDatabase(config);
    const deferred: Promise<unknown>[] = [];
    const ctx: InferenceContext = {
      requestId,
      env,
      config,
      db: () => broken.db,
      sql: () => openSqlDatabase(config),
      defer: (work) => deferred.push(work),
      hold: () => () => undefined,
      caller: { userId: account.userId, apiKeyId: account.apiKeyId, allowedModels: [], concurrencyLimit: null },
    };
    const outcome: Outcome = {
      requestedModel: "test/outbox",
      provider: "openai",
      upstreamModel: "outbox",
      endpoint: "chat.completions",
      stream: false,
      status: "completed",
      httpStatus: 200,
      usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      usageEstimated: false,
      catalog: { modelId: null, prices: undefined },
      cost: { nanos: 123_456_789n, priced: true },
      startedAt: Date.now(),
      firstTokenAt: null,
      finishReason: "stop",
      errorMessage: null,
    };
    settleLater(ctx, outcome);
    // settleLater defers the token count for rate limits and the settlement: find the settlement's result.
    const result = ((await Promise.all(deferred)) as (SettleResult | undefined)[]).find(
      (value) => value !== undefined && typeof value === "object" && "outcome" in value,
    );
    await broken.close();
    expect(result).toMatchObject({ outcome: "queued", queue: { queued: true, pending: 1 } });

    const shard = shardOf(account.userId);
    // Durable: the record survives the object being torn down.
    await evictDurableObject(shard);
    const backlog = await shard.backlog();
    expect(backlog).toMatchObject({ pending: 1, lastError: null });
    expect(backlog.nextAttemptAt).toBeGreaterThan(Date.now() - 1_000);
    expect(await writtenRows(requestId)).toEqual({ logs: 0, ledger: 0 });
    expect(await balanceText(account.userId)).toBe(start);
    expect((await outboxBacklog(env)).pending).toBeGreaterThanOrEqual(1);
    // /ready reports the backlog (and stays ready: it drains by itself).
    const ready = (await (await call("/ready")).json()) as { status: string; settlement_backlog: { pending: number } };
    expect(ready.settlement_backlog.pending).toBeGreaterThanOrEqual(1);

    expect(await runDurableObjectAlarm(shard)).toBe(true);
    expect(await writtenRows(requestId)).toEqual({ logs: 1, ledger: 1 });
    expect(await balanceText(account.userId)).toBe(await minus(start, "0.123456789"));
    expect(await shard.backlog()).toMatchObject({ pending: 0, oldestAgeMs: null, lastError: null });
  });

  it("never charges twice: a duplicate enqueue is one record, and a record settled before is not re-charged", async () => {
    const account = await registerAccount();
    const start = await balanceText(account.userId);
    const shard = shardOf(account.userId);
    const queuedTwice = inferenceRecord(account.userId, `dup-${crypto.randomUUID()}`, "0.000100000");
    expect(await shard.enqueue(queuedTwice)).toEqual({ queued: true, pending: 1 });
    expect(await shard.enqueue(queuedTwice)).toEqual({ queued: false, pending: 1 });
    const settledBefore = inferenceRecord(account.userId, `direct-${crypto.randomUUID()}`, "0.000200000");
    await withDatabase((db) => settleInference(db, settledBefore));
    expect(await shard.enqueue(settledBefore)).toMatchObject({ queued: true, pending: 2 });

    expect(await runDurableObjectAlarm(shard)).toBe(true);
    expect(await shard.backlog()).toMatchObject({ pending: 0 });
    expect(await writtenRows(queuedTwice.requestId)).toEqual({ logs: 1, ledger: 1 });
    expect(await writtenRows(settledBefore.requestId)).toEqual({ logs: 1, ledger: 1 });
    expect(await balanceText(account.userId)).toBe(await minus(start, "0.000300000"));
  });

  it("applies one user's records in the order they were enqueued", async () => {
    const account = await registerAccount();
    const shard = shardOf(account.userId);
    // Ids that sort against the enqueue order, so only the insertion sequence can produce this order.
    const queued = ["c", "b", "a"].map((prefix, index) =>
      inferenceRecord(account.userId, `${prefix}-order-${crypto.randomUUID()}`, `0.00000${index + 1}000`),
    );
    for (const item of queued) await shard.enqueue(item);
    expect(await runDurableObjectAlarm(shard)).toBe(true);

    const ledger = await execute(
      sql`select idempotency_key, balance_before, balance_after from credit_transactions
          where user_id = ${account.userId} and type = 'api_usage' order by id`,
    );
    expect(ledger.map((row) => row.idempotency_key)).toEqual(queued.map((item) => `usage:${item.requestId}`));
    for (let index = 1; index < ledger.length; index++) {
      expect(ledger[index]?.balance_before).toBe(ledger[index - 1]?.balance_after);
    }
  });

  it("backs off: 1 s doubling to 5 min, jittered, never shorter than half the nominal delay", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(9, 1)).toBe(256_000);
    expect(retryDelayMs(10, 1)).toBe(300_000);
    expect(retryDelayMs(50, 0)).toBe(150_000);
  });

  it("keeps the record and retries later while its own database is still down, then applies it", async () => {
    const account = await registerAccount();
    const start = await balanceText(account.userId);
    const shard = shardOf(account.userId);
    const pending = inferenceRecord(account.userId, `retry-${crypto.randomUUID()}`, "0.000007000");
    await shard.enqueue(pending);

    await alarmWithDatabaseDown(account.userId);
    const first = await shard.backlog();
    expect(first).toMatchObject({ pending: 1 });
    expect(first.lastError).toMatch(/\S/);
    expect(first.nextAttemptAt).toBeGreaterThan(Date.now());
    await alarmWithDatabaseDown(account.userId);
    const second = await shard.backlog();
    expect(second).toMatchObject({ pending: 1 });
    // The second delay (1–2 s) starts later and is at least as long as the first (0.5–1 s).
    expect(second.nextAttemptAt).toBeGreaterThan(first.nextAttemptAt ?? Number.POSITIVE_INFINITY);
    expect(await writtenRows(pending.requestId)).toEqual({ logs: 0, ledger: 0 });

    expect(await runDurableObjectAlarm(shard)).toBe(true);
    expect(await writtenRows(pending.requestId)).toEqual({ logs: 1, ledger: 1 });
    expect(await balanceText(account.userId)).toBe(await minus(start, "0.000007000"));
    expect(await shard.backlog()).toMatchObject({ pending: 0, lastError: null });
  });

  it("does not queue a statement the database rejects, and parks one that keeps failing in the outbox", async () => {
    const account = await registerAccount();
    // A user that does not exist (same shard): the log row's foreign key rejects the statement.
    const orphan = inferenceRecord(
      account.userId + OUTBOX_SHARDS * 1_000_000,
      `orphan-${crypto.randomUUID()}`,
      "0.000001000",
    );
    await expect(withDatabase((db) => settleDurably({ env, db: () => db }, orphan))).rejects.toThrow();
    const shard = shardOf(account.userId);
    const { pending, deadLetters } = await shard.backlog();
    expect(pending).toBe(0);

    // Already in the outbox (say the schema changed meanwhile): five rejections park it, and the
    // record behind it is applied instead of waiting forever.
    const behind = inferenceRecord(account.userId, `behind-${crypto.randomUUID()}`, "0.000002000");
    await shard.enqueue(orphan);
    await shard.enqueue(behind);
    for (let attempt = 1; attempt < 5; attempt++) {
      await runDurableObjectAlarm(shard);
      expect(await shard.backlog()).toMatchObject({ pending: 2, deadLetters });
    }
    await runDurableObjectAlarm(shard);
    expect(await shard.backlog()).toMatchObject({ pending: 0, deadLetters: deadLetters + 1, lastError: null });
    expect(await writtenRows(behind.requestId)).toEqual({ logs: 1, ledger: 1 });
  });

  it("names a fixed set of shards and keeps every user on one of them", () => {
    expect(outboxShardNames).toHaveLength(OUTBOX_SHARDS);
    expect(new Set(outboxShardNames).size).toBe(OUTBOX_SHARDS);
    for (const userId of [1, 2, 8, 9, 12345]) {
      expect(outboxShardNames).toContain(outboxNameFor(userId));
      expect(outboxNameFor(userId)).toBe(outboxNameFor(userId + OUTBOX_SHARDS));
    }
    expect(outboxShardNames).toContain(outboxNameFor(null));
  });
});
