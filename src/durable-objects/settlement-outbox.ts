// The settlement outbox: inference records that could not be settled because Postgres was unreachable
// are kept in this object's SQLite storage and applied by alarm, in enqueue order, until they succeed.
//
// Sharding: a fixed number of shards, chosen by `userId % OUTBOX_SHARDS`. All records of one user land
// in one shard, so they apply in the order they were enqueued (the ledger's balance chain follows the
// requests), and /ready can sum the backlog by asking the few known shard names instead of enumerating
// one object per user. The count is a constant on purpose: changing it moves users between shards, so
// records still pending in the old shard could apply after newer ones in the new shard. Raise it only
// with an empty backlog. It is only busy while Postgres is down (every settlement then passes here).
import { DurableObject } from "cloudflare:workers";
import { type DatabaseHandle, isDatabaseUnavailable, openDatabase } from "../db/client";
import { type InferenceRecord, settleInference } from "../db/inference";
import { type Env, readConfig } from "../env";
import { priceIfNeeded } from "../gateway/deferred-pricing";
import { recordSettlementTrouble } from "../operations/error-events";

export const OUTBOX_SHARDS = 8;

/** Anonymous records (no user) go to shard 0: they touch no balance, so their order does not matter. */
export function outboxNameFor(userId: number | null): string {
  const shard = userId === null ? 0 : Math.abs(userId) % OUTBOX_SHARDS;
  return `settlement-outbox-${shard}`;
}

export const outboxShardNames: readonly string[] = Array.from(
  { length: OUTBOX_SHARDS },
  (_, shard) => `settlement-outbox-${shard}`,
);

const firstRetryMs = 1_000;
const maxRetryMs = 5 * 60_000;
/** A statement the database rejects this many times is parked, so it cannot block its shard forever. */
const maxRejections = 5;
/** Records applied per alarm run; the alarm re-arms at once when more are pending. */
const batchSize = 200;

/**
 * Delay before retry number `attempt` (1-based): 1 s doubling to 5 min, with "equal jitter" (half
 * fixed, half random) so shards retrying after one outage do not hit Postgres in lockstep, while
 * each delay stays at least half its nominal value (the schedule only moves forward).
 */
export function retryDelayMs(attempt: number, random: number = Math.random()): number {
  const nominal = Math.min(maxRetryMs, firstRetryMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + (nominal / 2) * random);
}

export interface OutboxBacklog {
  pending: number;
  /** Age of the oldest pending record; null when none is pending. */
  oldestAgeMs: number | null;
  /** When the alarm fires next (epoch ms); null when nothing is scheduled. */
  nextAttemptAt: number | null;
  lastError: string | null;
  /** Records the database kept rejecting (not outages): kept for a human to replay, never dropped. */
  deadLetters: number;
}

export interface EnqueueResult {
  /** False when this request id was already pending here. */
  queued: boolean;
  pending: number;
}

type PendingRow = { seq: number; request_id: string; record: string; rejections: number };

export class SettlementOutbox extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      create table if not exists pending (
        seq integer primary key autoincrement,
        request_id text not null unique,
        record text not null,
        enqueued_at integer not null,
        rejections integer not null default 0
      );
      create table if not exists dead_letters (
        request_id text primary key,
        record text not null,
        enqueued_at integer not null,
        error text not null,
        parked_at integer not null
      );
      create table if not exists retry_state (
        id integer primary key check (id = 1),
        attempts integer not null,
        last_error text
      );
    `);
  }

  async enqueue(record: InferenceRecord): Promise<EnqueueResult> {
    const inserted = this.ctx.storage.sql
      .exec(
        `insert into pending (request_id, record, enqueued_at) values (?, ?, ?)
         on conflict (request_id) do nothing returning seq`,
        record.requestId,
        JSON.stringify(record),
        Date.now(),
      )
      .toArray().length;
    // Keep an alarm that is already set: during an outage it carries the backoff, and every new
    // record must not trigger its own attempt against a database that is down.
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + retryDelayMs(1));
    }
    return { queued: inserted > 0, pending: this.pendingCount() };
  }

  async backlog(): Promise<OutboxBacklog> {
    const oldest = this.ctx.storage.sql
      .exec<{ enqueued_at: number | null }>("select min(enqueued_at) as enqueued_at from pending")
      .one().enqueued_at;
    const deadLetters = this.ctx.storage.sql.exec<{ n: number }>("select count(*) as n from dead_letters").one().n;
    return {
      pending: this.pendingCount(),
      oldestAgeMs: oldest === null ? null : Date.now() - oldest,
      nextAttemptAt: await this.ctx.storage.getAlarm(),
      lastError: this.retryState().lastError,
      deadLetters,
    };
  }

  /** Applies pending records oldest first and stops at the first failure, which schedules a retry. */
  override async alarm(): Promise<void> {
    let handle: DatabaseHandle | undefined;
    try {
      handle = openDatabase(readConfig(this.env));
      for (let applied = 0; applied < batchSize; applied++) {
        const row = this.ctx.storage.sql
          .exec<PendingRow>("select seq, request_id, record, rejections from pending order by seq limit 1")
          .toArray()[0];
        if (!row) break;
        const record: InferenceRecord = JSON.parse(row.record);
        try {
          // `logged: false` means an earlier attempt (or the request itself) already applied it.
          await settleInference(handle.db, await priceIfNeeded(handle.db, record));
        } catch (error) {
          // An outage stops the run (retry later); a rejection is retried too, until it is parked.
          if (isDatabaseUnavailable(error) || !this.rejectedTooOften(row, error)) throw error;
          await recordSettlementTrouble(handle.db, this.env, {
            kind: "parked",
            message: `Settlement parked in the outbox's dead letters after ${maxRejections} rejections: ${errorText(error)}`,
            requestId: row.request_id,
          });
          continue;
        }
        this.ctx.storage.sql.exec("delete from pending where seq = ?", row.seq);
      }
      const recovered = this.retryState();
      this.clearRetryState();
      if (recovered.attempts > 0) {
        // Recorded once the database answers again (while it is down, nothing can be written).
        await recordSettlementTrouble(handle.db, this.env, {
          kind: "retried",
          message: `Settlement outbox applied its backlog after ${recovered.attempts} failed attempts: ${recovered.lastError ?? "unknown error"}`,
          details: {
            failed_attempts: recovered.attempts,
            still_pending: this.pendingCount(),
            outbox: this.ctx.id.name ?? this.ctx.id.toString(),
          },
        });
      }
      if (this.pendingCount() > 0) await this.ctx.storage.setAlarm(Date.now());
    } catch (error) {
      await this.scheduleRetry(error);
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /** Counts a rejection of the head record; past the limit it is parked (and true is returned). */
  private rejectedTooOften(row: PendingRow, error: unknown): boolean {
    const rejections = row.rejections + 1;
    if (rejections < maxRejections) {
      this.ctx.storage.sql.exec("update pending set rejections = ? where seq = ?", rejections, row.seq);
      return false;
    }
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.sql.exec(
        `insert into dead_letters (request_id, record, enqueued_at, error, parked_at)
         select request_id, record, enqueued_at, ?, ? from pending where seq = ?
         on conflict (request_id) do update set error = excluded.error, parked_at = excluded.parked_at`,
        errorText(error),
        Date.now(),
        row.seq,
      );
      this.ctx.storage.sql.exec("delete from pending where seq = ?", row.seq);
    });
    console.error(
      JSON.stringify({
        msg: "settlement rejected by the database, parked in the outbox's dead letters",
        request_id: row.request_id,
        error: errorText(error),
        record: row.record,
      }),
    );
    return true;
  }

  private async scheduleRetry(error: unknown): Promise<void> {
    const attempts = this.retryState().attempts + 1;
    const lastError = errorText(error);
    this.ctx.storage.sql.exec(
      "insert or replace into retry_state (id, attempts, last_error) values (1, ?, ?)",
      attempts,
      lastError,
    );
    const delay = retryDelayMs(attempts);
    await this.ctx.storage.setAlarm(Date.now() + delay);
    console.warn(
      JSON.stringify({
        msg: "settlement outbox could not apply its backlog, retrying later",
        pending: this.pendingCount(),
        attempts,
        retry_in_ms: delay,
        error: lastError,
      }),
    );
  }

  private retryState(): { attempts: number; lastError: string | null } {
    const row = this.ctx.storage.sql
      .exec<{ attempts: number; last_error: string | null }>("select attempts, last_error from retry_state")
      .toArray()[0];
    return { attempts: row?.attempts ?? 0, lastError: row?.last_error ?? null };
  }

  private clearRetryState(): void {
    this.ctx.storage.sql.exec("delete from retry_state");
  }

  private pendingCount(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("select count(*) as n from pending").one().n;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
