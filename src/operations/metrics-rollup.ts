// All-time totals of the request log for /metrics without summing the whole table on every scrape.
//
// The log is append-only and each row's created_at is the database's now() at insert (a settlement is
// one statement; the outbox inserts late rows with the time they are applied), so once a moment is
// SETTLE_MS in the past no row dated before it can still appear. The totals before a boundary on a
// 10-minute grid (at least SETTLE_MS old) are therefore final: an isolate keeps them, and a scrape
// adds only the rows since the boundary (a range read on the created_at index). When the boundary
// moves on, only the rows between the old and the new boundary are added. An isolate's first scrape
// sums the whole table once. Every isolate answers the same exact figure, the whole table's sums as of
// the query: what is cached is a final prefix of the shared log, never a per-isolate counter.
import type { AnyDatabase } from "../db/client";
import {
  type AttemptFailureSeries,
  type HistogramSums,
  type RequestLogSeries,
  type RequestLogSums,
  requestLogSums,
} from "../db/monitoring-metrics";
import { formatUsd, parseUsd } from "../lib/money";

export const ROLLUP_STEP_MS = 10 * 60_000;
export const SETTLE_MS = 5 * 60_000;

/** Sums keyed by their labels (costs in exact nano-dollars). */
export interface Rollup {
  series: Map<string, RequestLogSeries & { costNanos: bigint }>;
  attempts: Map<string, AttemptFailureSeries>;
}

/** The newest boundary whose earlier rows are final at `now`. */
export function boundaryAt(now: number): number {
  return Math.floor((now - SETTLE_MS) / ROLLUP_STEP_MS) * ROLLUP_STEP_MS;
}

const emptyRollup = (): Rollup => ({ series: new Map(), attempts: new Map() });

function addHistogram(into: HistogramSums, from: HistogramSums): HistogramSums {
  return {
    count: into.count + from.count,
    sumMs: into.sumMs + from.sumMs,
    buckets: into.buckets.map((value, index) => value + (from.buckets[index] ?? 0)),
  };
}

/** A new rollup: `base` plus `sums` (base is left untouched, it may be cached). */
export function addSums(base: Rollup, sums: RequestLogSums): Rollup {
  const series = new Map(base.series);
  for (const row of sums.series) {
    const key = JSON.stringify([row.provider, row.model, row.status, row.httpStatus]);
    const costNanos = parseUsd(row.costUsd);
    const known = series.get(key);
    if (!known) {
      series.set(key, { ...row, costNanos });
      continue;
    }
    const total = known.costNanos + costNanos;
    series.set(key, {
      ...known,
      requests: known.requests + row.requests,
      promptTokens: known.promptTokens + row.promptTokens,
      completionTokens: known.completionTokens + row.completionTokens,
      cachedTokens: known.cachedTokens + row.cachedTokens,
      cacheWriteTokens: known.cacheWriteTokens + row.cacheWriteTokens,
      reasoningTokens: known.reasoningTokens + row.reasoningTokens,
      costNanos: total,
      costUsd: formatUsd(total),
      duration: addHistogram(known.duration, row.duration),
      firstChunk: addHistogram(known.firstChunk, row.firstChunk),
    });
  }
  const attempts = new Map(base.attempts);
  for (const row of sums.attemptFailures) {
    const key = JSON.stringify([row.provider, row.model, row.status]);
    const known = attempts.get(key);
    attempts.set(key, known ? { ...known, failures: known.failures + row.failures } : row);
  }
  return { series, attempts };
}

interface CachedBase {
  boundary: number;
  rollup: Rollup;
}

/** Per database (one in practice): the final totals before a boundary, and a fill in progress. */
const bases = new Map<string, CachedBase>();
const filling = new Map<string, Promise<CachedBase>>();

async function fill(db: AnyDatabase, key: string, boundary: number): Promise<CachedBase> {
  const cached = bases.get(key);
  // Only ever extended forwards; a boundary behind the cached one (clock moved back) starts over.
  const extend = cached !== undefined && cached.boundary < boundary;
  const sums = await requestLogSums(db, {
    ...(extend ? { from: new Date(cached.boundary) } : {}),
    to: new Date(boundary),
  });
  const next = { boundary, rollup: addSums(extend ? cached.rollup : emptyRollup(), sums) };
  const latest = bases.get(key);
  if (latest === undefined || latest.boundary <= boundary) bases.set(key, next);
  return next;
}

async function finalTotals(db: AnyDatabase, key: string, boundary: number): Promise<Rollup> {
  const cached = bases.get(key);
  if (cached?.boundary === boundary) return cached.rollup;
  const fillKey = `${key}\n${boundary}`;
  let pending = filling.get(fillKey);
  if (!pending) {
    pending = fill(db, key, boundary).finally(() => filling.delete(fillKey));
    filling.set(fillKey, pending);
  }
  return (await pending).rollup;
}

/**
 * The whole request log's sums now: cached final totals before the boundary plus the rows since.
 * `databaseKey` names the database (its URL) so two databases never share a cache.
 */
export async function requestLogTotals(db: AnyDatabase, databaseKey: string, now = Date.now()): Promise<Rollup> {
  const boundary = boundaryAt(now);
  const [final, recent] = await Promise.all([
    finalTotals(db, databaseKey, boundary),
    requestLogSums(db, { from: new Date(boundary) }),
  ]);
  return addSums(final, recent);
}

/** Forgets the cached totals (tests, or after the log was edited by hand). */
export function clearRequestLogTotals(): void {
  bases.clear();
}
