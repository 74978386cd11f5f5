// http_requests_total and http_request_duration_seconds for /metrics, counted in Upstash so every
// isolate adds to the same numbers. One request = one pipeline of three HINCRBY (one HTTP call), sent
// after the response. Fields are `<METHOD> <route pattern> <status>` (the matched route, never the raw
// path, so scanners cannot grow the hash) and, for durations, `<METHOD> <route> b<bucket>` (the
// non-cumulative bucket the request fell in) and `<METHOD> <route> sum_ms`.
import type { Redis } from "@upstash/redis/cloudflare";
import type { Config } from "../env";
import { redisClient } from "../lib/redis";

export const HTTP_REQUESTS_KEY = "gw:metrics:http_requests";
export const HTTP_DURATION_KEY = "gw:metrics:http_duration";

/** http_request_duration_seconds bucket bounds (ms): time until the response (its headers, for streams). */
export const httpDurationBucketsMs = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

/** Anything else is counted as OTHER (a made-up method must not create series). */
const knownMethods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const RECORD_TIMEOUT_MS = 5_000;

export interface HttpSample {
  method: string;
  route: string;
  status: number;
  durationMs: number;
}

export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return knownMethods.has(upper) ? upper : "OTHER";
}

/** Index of the first bucket whose bound is ≥ the duration; the bucket count itself for +Inf. */
export function bucketIndex(durationMs: number): number {
  const index = httpDurationBucketsMs.findIndex((bound) => durationMs <= bound);
  return index === -1 ? httpDurationBucketsMs.length : index;
}

/**
 * Adds one request to the shared counters. Never throws and never waits longer than 5 s: meant for
 * waitUntil. A failure is logged and the request simply goes uncounted.
 */
export async function recordHttpRequest(config: Config, sample: HttpSample): Promise<void> {
  const redis = redisClient(config);
  if (!redis) return;
  const series = `${methodLabel(sample.method)} ${sample.route}`;
  const durationMs = Math.max(0, Math.round(sample.durationMs));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const pipeline = redis.pipeline();
    pipeline.hincrby(HTTP_REQUESTS_KEY, `${series} ${sample.status}`, 1);
    pipeline.hincrby(HTTP_DURATION_KEY, `${series} b${bucketIndex(durationMs)}`, 1);
    pipeline.hincrby(HTTP_DURATION_KEY, `${series} sum_ms`, durationMs);
    const sent = pipeline.exec();
    sent.catch(() => undefined);
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), RECORD_TIMEOUT_MS);
    });
    if ((await Promise.race([sent, deadline])) === "timeout") throw new Error("Upstash timed out");
  } catch (error) {
    console.error(JSON.stringify({ msg: "http request not counted for /metrics", series, error: String(error) }));
  } finally {
    clearTimeout(timer);
  }
}

export interface HttpCount {
  method: string;
  route: string;
  status: string;
  count: number;
}

export interface HttpDuration {
  method: string;
  route: string;
  /** Non-cumulative, one per bucket of httpDurationBucketsMs and a last one for +Inf. */
  buckets: number[];
  sumMs: number;
}

/** `<METHOD> <route> <last>`: the route may not contain spaces, but split from both ends anyway. */
function splitField(field: string): { method: string; route: string; last: string } | undefined {
  const first = field.indexOf(" ");
  const last = field.lastIndexOf(" ");
  if (first <= 0 || last <= first) return undefined;
  return { method: field.slice(0, first), route: field.slice(first + 1, last), last: field.slice(last + 1) };
}

const countOf = (value: unknown): number => {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : 0;
};

/** At most this many HSCAN pages per hash per scrape (1000 fields each): a bound, never reached in practice. */
const MAX_SCAN_PAGES = 50;

/**
 * Every field of a hash, read with HSCAN (not HGETALL: its reply shape differs between Upstash and
 * the local bridges' Redis clients, while HSCAN's flat list is the same everywhere).
 */
async function hashEntries(redis: Redis, key: string): Promise<[string, unknown][]> {
  const entries: [string, unknown][] = [];
  let cursor: string | number = 0;
  for (let page = 0; page < MAX_SCAN_PAGES; page++) {
    const [next, flat]: [string | number, unknown[]] = await redis.hscan(key, cursor, { count: 1000 });
    for (let index = 0; index + 1 < flat.length; index += 2) entries.push([String(flat[index]), flat[index + 1]]);
    cursor = next;
    if (String(cursor) === "0") return entries;
  }
  throw new Error(`${key}: more than ${MAX_SCAN_PAGES * 1000} fields`);
}

/** The shared counters; undefined when Upstash is not configured. Throws when Upstash fails. */
export async function readHttpMetrics(
  config: Config,
): Promise<{ counts: HttpCount[]; durations: HttpDuration[] } | undefined> {
  const redis = redisClient(config);
  if (!redis) return undefined;
  const [requestHash, durationHash] = await Promise.all([
    hashEntries(redis, HTTP_REQUESTS_KEY),
    hashEntries(redis, HTTP_DURATION_KEY),
  ]);
  const counts: HttpCount[] = [];
  for (const [field, value] of requestHash) {
    const parts = splitField(field);
    if (parts) counts.push({ method: parts.method, route: parts.route, status: parts.last, count: countOf(value) });
  }
  const durations = new Map<string, HttpDuration>();
  for (const [field, value] of durationHash) {
    const parts = splitField(field);
    if (!parts) continue;
    const key = `${parts.method} ${parts.route}`;
    let entry = durations.get(key);
    if (!entry) {
      entry = {
        method: parts.method,
        route: parts.route,
        buckets: new Array<number>(httpDurationBucketsMs.length + 1).fill(0),
        sumMs: 0,
      };
      durations.set(key, entry);
    }
    if (parts.last === "sum_ms") {
      entry.sumMs = countOf(value);
      continue;
    }
    const index = /^b(\d+)$/.exec(parts.last)?.[1];
    if (index !== undefined && Number(index) < entry.buckets.length) entry.buckets[Number(index)] = countOf(value);
  }
  const order = (a: { method: string; route: string }, b: { method: string; route: string }) =>
    a.route.localeCompare(b.route) || a.method.localeCompare(b.method);
  return {
    counts: counts.sort((a, b) => order(a, b) || a.status.localeCompare(b.status)),
    durations: [...durations.values()].sort(order),
  };
}
