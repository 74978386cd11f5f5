// Settling without losing money: write the record now, or, when Postgres is unreachable, hand it to
// the durable settlement outbox (src/durable-objects/settlement-outbox.ts), which applies it later.
import { type AnyDatabase, isDatabaseUnavailable } from "../db/client";
import { type InferenceRecord, type Settlement, settleInference } from "../db/inference";
import {
  type EnqueueResult,
  type OutboxBacklog,
  outboxNameFor,
  outboxShardNames,
} from "../durable-objects/settlement-outbox";
import type { Env } from "../env";
import { recordSettlementTrouble } from "../operations/error-events";
import { priceIfNeeded } from "./deferred-pricing";

/** The part of a Sentry client (Toucan) this module uses. */
export interface ErrorReporter {
  captureException(error: unknown): unknown;
  captureMessage(message: string, level?: "warning" | "error"): unknown;
}

/** What settling needs; an InferenceContext fits (and passes `sentry` once it carries one). */
export interface SettleDeps {
  env: Env;
  /** Where records are settled: SQL over HTTP on the hot path, a pooled session elsewhere. */
  db: () => AnyDatabase;
  sentry?: ErrorReporter;
}

export type SettleResult = { outcome: "settled"; settlement: Settlement } | { outcome: "queued"; queue: EnqueueResult };

/**
 * Applies the record at once; if the database is unreachable, queues it in the outbox shard of its
 * user. Any other failure (the database rejected the statement: a bug, not an outage) is not queued,
 * since retrying it would loop: the promise rejects after logging the record, so the caller's
 * deferred-work handler logs and reports it like any other failure. It also rejects when the outbox
 * itself cannot take the record; the log line then holds the whole record for a manual replay.
 */
export async function settleDurably(deps: SettleDeps, record: InferenceRecord): Promise<SettleResult> {
  try {
    const db = deps.db();
    return { outcome: "settled", settlement: await settleInference(db, await priceIfNeeded(db, record)) };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) {
      logLostRecord("settlement rejected by the database; not charged", record, error);
      await recordSettlementTrouble(deps.db, deps.env, {
        kind: "rejected",
        message: `Settlement rejected by the database (not charged): ${errorText(error)}`,
        requestId: record.requestId,
      });
      throw error;
    }
    let queue: EnqueueResult;
    try {
      queue = await outboxShard(deps.env, outboxNameFor(record.userId)).enqueue(record);
    } catch (enqueueError) {
      logLostRecord("settlement lost: database unreachable and the outbox refused it", record, enqueueError);
      throw enqueueError;
    }
    console.warn(
      JSON.stringify({
        msg: "database unreachable; settlement queued in the outbox",
        request_id: record.requestId,
        user_id: record.userId,
        pending: queue.pending,
        error: errorText(error),
      }),
    );
    deps.sentry?.captureMessage(
      `Settlement queued in the outbox (database unreachable): ${errorText(error)}`,
      "warning",
    );
    return { outcome: "queued", queue };
  }
}

export interface OutboxTotals {
  pending: number;
  /** Age of the oldest pending record across shards; null when none is pending. */
  oldestAgeMs: number | null;
  deadLetters: number;
  /** Shards that hold something or are retrying, by name. */
  shards: Record<string, OutboxBacklog>;
}

/** The backlog summed over every shard (for /ready): a fixed list of names, no enumeration. */
export async function outboxBacklog(env: Env): Promise<OutboxTotals> {
  const backlogs = await Promise.all(
    outboxShardNames.map(async (name) => [name, await outboxShard(env, name).backlog()] as const),
  );
  const totals: OutboxTotals = { pending: 0, oldestAgeMs: null, deadLetters: 0, shards: {} };
  for (const [name, backlog] of backlogs) {
    totals.pending += backlog.pending;
    totals.deadLetters += backlog.deadLetters;
    if (backlog.oldestAgeMs !== null) totals.oldestAgeMs = Math.max(totals.oldestAgeMs ?? 0, backlog.oldestAgeMs);
    if (backlog.pending > 0 || backlog.deadLetters > 0 || backlog.lastError !== null) totals.shards[name] = backlog;
  }
  return totals;
}

function outboxShard(env: Env, name: string) {
  if (!env.SETTLEMENT_OUTBOX) throw new Error("SETTLEMENT_OUTBOX binding is not configured");
  return env.SETTLEMENT_OUTBOX.getByName(name);
}

/** The whole record goes into the line: when it is not written anywhere else, the log is its copy. */
function logLostRecord(msg: string, record: InferenceRecord, error: unknown): void {
  console.error(JSON.stringify({ msg, request_id: record.requestId, error: errorText(error), record }));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
