// Per-key rate limits on Upstash: requests per minute/hour/day (sliding windows) and tokens per
// minute/hour/day (fixed windows, filled after the fact from settled usage).
//
// Round trips. `checkRequestLimits` issues six EVALSHA commands in one tick: `limit()` on the three
// request windows and `getRemaining()` on the three token windows. @upstash/redis auto-pipelines
// commands issued together (`enableAutoPipelining`, on by default since 1.34), so they reach Upstash
// as ONE `/pipeline` HTTP request. Two exceptions, both off the common path: against a Redis that has
// not cached the scripts yet, @upstash/ratelimit gets NOSCRIPT and re-sends them with EVAL (once per
// script per Redis); and a refused request refunds the windows that had already counted it, in a
// second request the caller runs after the response (`pending`, for waitUntil).
//
// Upstash errors and timeouts fail open: the request is allowed, and a log line and Sentry say so.
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis/cloudflare";
import type { Config } from "../env";
import { redisClient } from "../lib/redis";

export type Tier = "basic" | "pro" | "max";
export const limitWindows = ["minute", "hour", "day"] as const;
export type LimitWindow = (typeof limitWindows)[number];
export type LimitKind = "requests" | "tokens";

export interface RateLimits {
  requestsPerMinute: number;
  requestsPerHour: number;
  requestsPerDay: number;
  tokensPerMinute: number;
  tokensPerHour: number;
  tokensPerDay: number;
}

/** A per-key override (a `rate_limit_configs` row fits): null or absent means the tier's default. */
export type RateLimitOverride = { [K in keyof RateLimits]?: number | null };

/**
 * Tier defaults, used for every limit a key's override leaves null:
 *
 * | tier  | req/min | req/hour | req/day | tokens/min | tokens/hour | tokens/day  |
 * |-------|---------|----------|---------|------------|-------------|-------------|
 * | basic |      60 |    1 000 |  10 000 |    100 000 |   1 000 000 |  10 000 000 |
 * | pro   |     300 |    6 000 |  60 000 |    500 000 |   5 000 000 |  50 000 000 |
 * | max   |   1 000 |   20 000 | 200 000 |  2 000 000 |  20 000 000 | 200 000 000 |
 *
 * basic's request limits are the seeds' admin defaults (60/1000/10000); the seeds give no per-tier
 * numbers, so pro and max scale them up.
 */
export const TIER_DEFAULT_LIMITS: Readonly<Record<Tier, Readonly<RateLimits>>> = {
  basic: {
    requestsPerMinute: 60,
    requestsPerHour: 1_000,
    requestsPerDay: 10_000,
    tokensPerMinute: 100_000,
    tokensPerHour: 1_000_000,
    tokensPerDay: 10_000_000,
  },
  pro: {
    requestsPerMinute: 300,
    requestsPerHour: 6_000,
    requestsPerDay: 60_000,
    tokensPerMinute: 500_000,
    tokensPerHour: 5_000_000,
    tokensPerDay: 50_000_000,
  },
  max: {
    requestsPerMinute: 1_000,
    requestsPerHour: 20_000,
    requestsPerDay: 200_000,
    tokensPerMinute: 2_000_000,
    tokensPerHour: 20_000_000,
    tokensPerDay: 200_000_000,
  },
};

const windowSpecs = {
  minute: { duration: "1 m", requests: "requestsPerMinute", tokens: "tokensPerMinute" },
  hour: { duration: "1 h", requests: "requestsPerHour", tokens: "tokensPerHour" },
  day: { duration: "1 d", requests: "requestsPerDay", tokens: "tokensPerDay" },
} as const satisfies Record<
  LimitWindow,
  { duration: `${number} ${"m" | "h" | "d"}`; requests: keyof RateLimits; tokens: keyof RateLimits }
>;

export function effectiveLimits(tier: Tier, override?: RateLimitOverride | null): RateLimits {
  const defaults = TIER_DEFAULT_LIMITS[tier];
  const pick = (field: keyof RateLimits) => override?.[field] ?? defaults[field];
  return {
    requestsPerMinute: pick("requestsPerMinute"),
    requestsPerHour: pick("requestsPerHour"),
    requestsPerDay: pick("requestsPerDay"),
    tokensPerMinute: pick("tokensPerMinute"),
    tokensPerHour: pick("tokensPerHour"),
    tokensPerDay: pick("tokensPerDay"),
  };
}

/** One window of one key: how much it allows, how much is left, when it resets (epoch ms). */
export interface LimitState {
  kind: LimitKind;
  window: LimitWindow;
  limit: number;
  remaining: number;
  resetAt: number;
}

export type FailOpenReason = "timeout" | "error" | "unconfigured";

export type LimitDecision =
  | {
      allowed: true;
      /** The request window with the least room left (for x-ratelimit-* headers); absent when failed open. */
      tightest: LimitState | undefined;
      failedOpen?: FailOpenReason;
      pending: Promise<void>;
    }
  | {
      allowed: false;
      /** The binding limit: among exhausted windows, the one that resets last (retrying sooner cannot work). */
      exceeded: LimitState;
      tightest: LimitState | undefined;
      pending: Promise<void>;
    };

/** Where failures are reported; a Toucan client fits. */
export interface ErrorReporter {
  captureException(error: unknown): unknown;
  captureMessage(message: string): unknown;
}

/** How long the hot path waits for Upstash before failing open. */
export const RATE_LIMIT_TIMEOUT_MS = 1_000;
/** Recording runs after the response, so it may wait longer. */
const RECORD_TIMEOUT_MS = 5_000;
/** The token recorder only adds; its limit is never compared against. */
const RECORDER_LIMIT = Number.MAX_SAFE_INTEGER;

const nothingPending: Promise<void> = Promise.resolve();

// One limiter per (Redis client, kind, window, limit): the limit is fixed at construction, and the
// Redis keys do not include it, so a key whose limit changes keeps its counters.
const limitersByRedis = new WeakMap<Redis, Map<string, Ratelimit>>();
const MAX_LIMITERS_PER_CLIENT = 1_000;

function limiterFor(redis: Redis, kind: LimitKind, window: LimitWindow, limit: number): Ratelimit {
  let limiters = limitersByRedis.get(redis);
  if (!limiters) {
    limiters = new Map();
    limitersByRedis.set(redis, limiters);
  }
  const cacheKey = `${kind}:${window}:${limit}`;
  let limiter = limiters.get(cacheKey);
  if (!limiter) {
    if (limiters.size >= MAX_LIMITERS_PER_CLIENT) limiters.clear();
    const { duration } = windowSpecs[window];
    limiter = new Ratelimit({
      redis,
      limiter: kind === "requests" ? Ratelimit.slidingWindow(limit, duration) : Ratelimit.fixedWindow(limit, duration),
      prefix: `gw:key:${kind}:${window}`,
      // One deadline for the whole batch (below), not one per command.
      timeout: 0,
      analytics: false,
      // Token windows are filled after the fact and must count every token, so no in-isolate block
      // cache there; for request windows it spares Upstash while a key is blocked.
      ...(kind === "tokens" ? { ephemeralCache: false as const } : {}),
    });
    limiters.set(cacheKey, limiter);
  }
  return limiter;
}

const TIMED_OUT = Symbol("timed out");

class UpstashFailure {
  constructor(readonly error: unknown) {}
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  // A late failure after the deadline must not surface as an unhandled rejection.
  work.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `what` says what was skipped and what that means, e.g. "key rate limit ... failed open". */
function reportFailure(what: string, keyId: number, failure: unknown, reporter: ErrorReporter | undefined): void {
  if (failure === TIMED_OUT) {
    console.error(JSON.stringify({ msg: `${what}: Upstash timed out`, api_key_id: keyId }));
    reporter?.captureMessage(`${what}: Upstash timed out`);
  } else {
    console.error(JSON.stringify({ msg: `${what}: Upstash failed`, api_key_id: keyId, error: String(failure) }));
    reporter?.captureException(failure);
  }
}

let warnedUnconfigured = false;

/** "60 requests per minute", "100000 tokens per hour". */
export function describeLimit(state: Pick<LimitState, "kind" | "window" | "limit">): string {
  return `${state.limit} ${state.kind} per ${state.window}`;
}

function tightestOf(states: LimitState[]): LimitState | undefined {
  // Least room left wins; on a tie the shorter window (listed first).
  return states.reduce<LimitState | undefined>(
    (best, state) => (best === undefined || state.remaining < best.remaining ? state : best),
    undefined,
  );
}

/**
 * Counts this request in the key's three request windows and checks that no token window is used
 * up. A refused request is not counted: the windows that had counted it are refunded in `pending`.
 */
export async function checkRequestLimits(
  config: Config,
  keyId: number,
  limits: RateLimits,
  reporter?: ErrorReporter,
): Promise<LimitDecision> {
  const redis = redisClient(config);
  if (!redis) {
    if (!warnedUnconfigured) console.warn(JSON.stringify({ msg: "key rate limits skipped: Upstash not configured" }));
    warnedUnconfigured = true;
    return { allowed: true, tightest: undefined, failedOpen: "unconfigured", pending: nothingPending };
  }
  const identifier = String(keyId);
  const requestLimiters = limitWindows.map((window) =>
    limiterFor(redis, "requests", window, limits[windowSpecs[window].requests]),
  );
  const tokenLimiters = limitWindows.map((window) =>
    limiterFor(redis, "tokens", window, limits[windowSpecs[window].tokens]),
  );
  // Both batches start in this tick, so the client sends all six commands as one pipeline.
  const requestCalls = Promise.all(requestLimiters.map((limiter) => limiter.limit(identifier)));
  const tokenCalls = Promise.all(tokenLimiters.map((limiter) => limiter.getRemaining(identifier)));
  const outcome = await withDeadline(Promise.all([requestCalls, tokenCalls]), RATE_LIMIT_TIMEOUT_MS).catch(
    (error: unknown) => new UpstashFailure(error),
  );
  if (outcome === TIMED_OUT || outcome instanceof UpstashFailure) {
    reportFailure("key rate limit failed open", keyId, outcome === TIMED_OUT ? TIMED_OUT : outcome.error, reporter);
    return {
      allowed: true,
      tightest: undefined,
      failedOpen: outcome === TIMED_OUT ? "timeout" : "error",
      pending: nothingPending,
    };
  }

  const [requestResults, tokenResults] = outcome;
  const stateOf = (kind: LimitKind, window: LimitWindow, result: { limit: number; remaining: number; reset: number }) =>
    ({ kind, window, limit: result.limit, remaining: result.remaining, resetAt: result.reset }) satisfies LimitState;
  const requestStates = requestResults.map((result, index) =>
    stateOf("requests", limitWindows[index] ?? "minute", result),
  );
  const tokenStates = tokenResults.map((result, index) => stateOf("tokens", limitWindows[index] ?? "minute", result));
  const exhausted = [
    ...requestStates.filter((_, index) => requestResults[index]?.success === false),
    ...tokenStates.filter((state) => state.remaining <= 0),
  ];
  if (exhausted.length === 0) {
    return { allowed: true, tightest: tightestOf(requestStates), pending: nothingPending };
  }

  // Refused: give back what the windows that said yes have counted (a sliding window that said no
  // did not count), so a client retrying through 429s does not burn its hourly and daily budget.
  const refunds: Promise<unknown>[] = [];
  requestResults.forEach((result, index) => {
    const limiter = requestLimiters[index];
    const state = requestStates[index];
    if (!result.success || !limiter || !state) return;
    refunds.push(limiter.limit(identifier, { rate: -1 }));
    state.remaining = Math.min(state.limit, state.remaining + 1);
  });
  const pending = Promise.all(refunds).then(
    () => undefined,
    (error: unknown) =>
      reportFailure("key rate limit refund lost (refused request stays counted)", keyId, error, reporter),
  );
  const exceeded = exhausted.reduce((binding, state) => (state.resetAt > binding.resetAt ? state : binding));
  return { allowed: false, exceeded, tightest: tightestOf(requestStates), pending };
}

/**
 * Adds a settled request's tokens to the key's three token windows. Never throws: meant for
 * waitUntil after the response. A window can overshoot by the requests in flight when it fills up.
 */
export async function recordTokenUsage(
  config: Config,
  keyId: number,
  tokens: number,
  reporter?: ErrorReporter,
): Promise<void> {
  if (!Number.isFinite(tokens) || tokens <= 0) return;
  const redis = redisClient(config);
  if (!redis) return;
  const identifier = String(keyId);
  const rate = Math.ceil(tokens);
  try {
    const work = Promise.all(
      limitWindows.map((window) => limiterFor(redis, "tokens", window, RECORDER_LIMIT).limit(identifier, { rate })),
    );
    const outcome = await withDeadline(work, RECORD_TIMEOUT_MS);
    if (outcome === TIMED_OUT) reportFailure("token usage not recorded", keyId, TIMED_OUT, reporter);
  } catch (error) {
    reportFailure("token usage not recorded", keyId, error, reporter);
  }
}
