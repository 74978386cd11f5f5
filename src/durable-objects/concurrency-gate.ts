// One concurrency gate (e.g. `provider:groq` or `key:123`): at most `limit` leases are active, up to
// `queueLimit` more wait in FIFO order. State lives in SQLite so it survives eviction; every lease has a
// TTL so a request that crashed without releasing cannot hold its slot for ever (dropped on each call and
// by the alarm). Waiters are woken in memory the moment their turn comes.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export interface AcquireRequest {
  /** Unique per request (and per gate): retrying an acquire with the same id is idempotent. */
  leaseId: string;
  limit: number;
  queueLimit: number;
  /** How long an admitted lease lives without being released. */
  leaseTtlMs: number;
  /** How long a queued entry lives if its caller vanishes; default leaseTtlMs. */
  queueTtlMs?: number;
}

export type LeaseStatus =
  | { admitted: true; queued: false }
  | { admitted: false; queued: true; position: number }
  /** Refused (queue full), or unknown to the gate (released, cancelled or expired). */
  | { admitted: false; queued: false };

export interface GateStats {
  active: number;
  queued: number;
  /** The limits of the latest acquire; null while the gate has never been used. */
  limit: number | null;
  queueLimit: number | null;
  /** Age of the oldest active lease; null when none is active. */
  oldestLeaseAgeMs: number | null;
}

/** A single RPC wait is bounded, so a lost caller never pins a waiter for long. */
const maxWaitPerCallMs = 30_000;

export class ConcurrencyGate extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Wakes a caller blocked in waitForTurn, keyed by lease id. */
  private readonly waiters = new Map<string, () => void>();
  /** When the alarm is set for, if known in this instance (undefined after a restart). */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      create table if not exists leases (
        seq integer primary key autoincrement,
        lease_id text not null unique,
        state text not null check (state in ('active', 'queued')),
        created_at integer not null,
        admitted_at integer,
        expires_at integer not null,
        lease_ttl_ms integer not null
      );
      create index if not exists leases_state_seq on leases (state, seq);
      create table if not exists gate_settings (
        id integer primary key check (id = 1),
        max_active integer not null,
        queue_limit integer not null
      );
    `);
  }

  async acquire(request: AcquireRequest): Promise<LeaseStatus> {
    const { limit, queueLimit, leaseTtlMs } = request;
    const queueTtlMs = request.queueTtlMs ?? leaseTtlMs;
    if (!(Number.isInteger(limit) && limit > 0 && Number.isInteger(queueLimit) && queueLimit >= 0)) {
      throw new RangeError("limit must be a positive integer and queueLimit a non-negative integer");
    }
    if (!(leaseTtlMs > 0 && queueTtlMs > 0)) throw new RangeError("TTLs must be positive");
    const now = Date.now();
    this.sql.exec(
      `insert into gate_settings (id, max_active, queue_limit) values (1, ?, ?)
       on conflict (id) do update set max_active = excluded.max_active, queue_limit = excluded.queue_limit`,
      limit,
      queueLimit,
    );
    // Promotes whoever waits first, so a newcomer admitted below never jumps the queue.
    this.maintain(now);
    const status = this.admitOrQueue(request, queueTtlMs, now);
    await this.scheduleAlarm();
    return status;
  }

  /**
   * Resolves as soon as the lease is admitted, or after `maxWaitMs` with its current status. The caller
   * cancels when its own deadline passes.
   */
  async waitForTurn(leaseId: string, maxWaitMs: number): Promise<LeaseStatus> {
    this.maintain(Date.now());
    await this.scheduleAlarm();
    const status = this.statusOf(leaseId);
    if (!status.queued || maxWaitMs <= 0) return status;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        if (this.waiters.get(leaseId) === wake) this.waiters.delete(leaseId);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(maxWaitMs, maxWaitPerCallMs));
      // A second wait for the same lease supersedes the first.
      this.waiters.get(leaseId)?.();
      this.waiters.set(leaseId, wake);
    });
    this.maintain(Date.now());
    await this.scheduleAlarm();
    return this.statusOf(leaseId);
  }

  /** Frees an admitted lease (and lets the next queued one in). */
  async release(leaseId: string): Promise<{ released: boolean }> {
    return { released: await this.remove(leaseId) };
  }

  /** Gives up a queued place (or an admitted lease: a cancel racing its admission frees the slot). */
  async cancel(leaseId: string): Promise<{ cancelled: boolean }> {
    return { cancelled: await this.remove(leaseId) };
  }

  async stats(): Promise<GateStats> {
    const now = Date.now();
    this.maintain(now);
    await this.scheduleAlarm();
    const { active, queued } = this.counts();
    const settings = this.sql
      .exec<{ max_active: number; queue_limit: number }>("select max_active, queue_limit from gate_settings")
      .toArray()[0];
    const oldest = this.sql
      .exec<{ admitted_at: number | null }>("select min(admitted_at) as admitted_at from leases where state = 'active'")
      .one().admitted_at;
    return {
      active,
      queued,
      limit: settings?.max_active ?? null,
      queueLimit: settings?.queue_limit ?? null,
      oldestLeaseAgeMs: oldest === null ? null : now - oldest,
    };
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    this.maintain(Date.now());
    await this.scheduleAlarm();
  }

  private admitOrQueue(request: AcquireRequest, queueTtlMs: number, now: number): LeaseStatus {
    const { leaseId, limit, queueLimit, leaseTtlMs } = request;
    const existing = this.statusOf(leaseId);
    if (existing.admitted || existing.queued) return existing;
    const { active, queued } = this.counts();
    if (active < limit) {
      this.sql.exec(
        `insert into leases (lease_id, state, created_at, admitted_at, expires_at, lease_ttl_ms)
         values (?, 'active', ?, ?, ?, ?)`,
        leaseId,
        now,
        now,
        now + leaseTtlMs,
        leaseTtlMs,
      );
    } else if (queued < queueLimit) {
      this.sql.exec(
        `insert into leases (lease_id, state, created_at, expires_at, lease_ttl_ms) values (?, 'queued', ?, ?, ?)`,
        leaseId,
        now,
        now + queueTtlMs,
        leaseTtlMs,
      );
    } else {
      return { admitted: false, queued: false };
    }
    return this.statusOf(leaseId);
  }

  private async remove(leaseId: string): Promise<boolean> {
    this.waiters.get(leaseId)?.();
    const removed = this.sql.exec("delete from leases where lease_id = ? returning seq", leaseId).toArray().length > 0;
    this.maintain(Date.now());
    await this.scheduleAlarm();
    return removed;
  }

  /**
   * Drops expired leases and queue entries, then admits queued leases in order while slots are free.
   * Callers reschedule the alarm afterwards: an admitted lease's expiry replaces its queue expiry.
   */
  private maintain(now: number): void {
    const expired = this.sql
      .exec<{ lease_id: string; state: string }>(
        "delete from leases where expires_at <= ? returning lease_id, state",
        now,
      )
      .toArray();
    const expiredActive = expired.filter((row) => row.state === "active").map((row) => row.lease_id);
    if (expiredActive.length > 0) {
      // A request that held its slot past the TTL crashed or outlived the TTL: worth seeing in the logs.
      console.warn(JSON.stringify({ msg: "concurrency leases expired unreleased", lease_ids: expiredActive }));
    }
    for (const row of expired) this.waiters.get(row.lease_id)?.();

    const limit = this.sql
      .exec<{ max_active: number }>("select max_active from gate_settings")
      .toArray()[0]?.max_active;
    if (limit === undefined) return;
    const free = limit - this.counts().active;
    if (free <= 0) return;
    const promoted = this.sql
      .exec<{ lease_id: string }>(
        `update leases set state = 'active', admitted_at = ?, expires_at = ? + lease_ttl_ms
         where seq in (select seq from leases where state = 'queued' order by seq limit ?)
         returning lease_id`,
        now,
        now,
        free,
      )
      .toArray();
    for (const row of promoted) this.waiters.get(row.lease_id)?.();
  }

  private counts(): { active: number; queued: number } {
    const row = this.sql
      .exec<{ active: number; queued: number }>(
        `select coalesce(sum(state = 'active'), 0) as active, coalesce(sum(state = 'queued'), 0) as queued from leases`,
      )
      .one();
    return { active: row.active, queued: row.queued };
  }

  private statusOf(leaseId: string): LeaseStatus {
    const row = this.sql
      .exec<{ state: string; seq: number }>("select state, seq from leases where lease_id = ?", leaseId)
      .toArray()[0];
    if (!row) return { admitted: false, queued: false };
    if (row.state === "active") return { admitted: true, queued: false };
    const ahead = this.sql
      .exec<{ ahead: number }>("select count(*) as ahead from leases where state = 'queued' and seq < ?", row.seq)
      .one().ahead;
    return { admitted: false, queued: true, position: ahead + 1 };
  }

  /** Keeps an alarm at (or before) the earliest expiry; an early alarm just reschedules itself. */
  private async scheduleAlarm(): Promise<void> {
    const next = this.sql.exec<{ next: number | null }>("select min(expires_at) as next from leases").one().next;
    if (next === null) return;
    if (this.alarmAt === undefined || this.alarmAt === null || next < this.alarmAt) {
      await this.ctx.storage.setAlarm(next);
      this.alarmAt = next;
    }
  }
}
