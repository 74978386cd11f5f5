// The circuit breaker's state machine as pure functions (the Durable Object only stores and schedules).
// closed → open when ≥ minRequests in the window fail at ≥ failureRate, or after `consecutiveFailures`
// failures in a row; open → half_open when the cooldown ends (30 s, doubling per consecutive opening,
// capped); half_open → closed after `halfOpenSuccesses` successes, → open on any failure.
// Upstream 429s are counted apart: a provider asking us to slow down is not broken.

export type BreakerStateName = "closed" | "open" | "half_open";
export type BreakerOutcome = "success" | "failure" | "rate_limited";

export interface BreakerThresholds {
  windowMs: number;
  minRequests: number;
  failureRate: number;
  consecutiveFailures: number;
  cooldownMs: number;
  maxCooldownMs: number;
  halfOpenSuccesses: number;
}

export const defaultThresholds: BreakerThresholds = {
  windowMs: 60_000,
  minRequests: 5,
  failureRate: 0.5,
  consecutiveFailures: 5,
  cooldownMs: 30_000,
  maxCooldownMs: 300_000,
  halfOpenSuccesses: 2,
};

export interface BreakerState {
  state: BreakerStateName;
  /** Consecutive failures (reset by a success). */
  failureCount: number;
  /** Successes since the last state change. */
  successCount: number;
  recent: { at: number; ok: boolean }[];
  rateLimited: number[];
  openedAt: number | null;
  /** Openings without a full recovery in between: drives the doubling cooldown. */
  consecutiveOpens: number;
  lastFailureReason: string | null;
  updatedAt: number;
}

export function initialState(now: number): BreakerState {
  return {
    state: "closed",
    failureCount: 0,
    successCount: 0,
    recent: [],
    rateLimited: [],
    openedAt: null,
    consecutiveOpens: 0,
    lastFailureReason: null,
    updatedAt: now,
  };
}

export function cooldownMs(state: BreakerState, thresholds: BreakerThresholds): number {
  const doublings = Math.max(0, state.consecutiveOpens - 1);
  return Math.min(thresholds.cooldownMs * 2 ** doublings, thresholds.maxCooldownMs);
}

function trim(state: BreakerState, now: number, thresholds: BreakerThresholds): BreakerState {
  const since = now - thresholds.windowMs;
  return {
    ...state,
    recent: state.recent.filter((entry) => entry.at > since).slice(-500),
    rateLimited: state.rateLimited.filter((at) => at > since).slice(-500),
  };
}

function open(state: BreakerState, now: number, reason: string | null): BreakerState {
  return {
    ...state,
    state: "open",
    openedAt: now,
    consecutiveOpens: state.consecutiveOpens + 1,
    successCount: 0,
    lastFailureReason: reason ?? state.lastFailureReason,
    updatedAt: now,
  };
}

/** Open → half_open once the cooldown has passed (also applied lazily on every read). */
export function advance(state: BreakerState, now: number, thresholds: BreakerThresholds): BreakerState {
  const trimmed = trim(state, now, thresholds);
  if (
    trimmed.state === "open" &&
    trimmed.openedAt !== null &&
    now >= trimmed.openedAt + cooldownMs(trimmed, thresholds)
  ) {
    return { ...trimmed, state: "half_open", successCount: 0, failureCount: 0, updatedAt: now };
  }
  return trimmed;
}

export function failureRate(state: BreakerState): number {
  if (state.recent.length === 0) return 0;
  return state.recent.filter((entry) => !entry.ok).length / state.recent.length;
}

/** `count` > 1 applies that many identical outcomes at once (isolates report successes in batches). */
export function applyOutcome(
  previous: BreakerState,
  outcome: BreakerOutcome,
  reason: string | null,
  now: number,
  thresholds: BreakerThresholds,
  count = 1,
): BreakerState {
  const state = advance(previous, now, thresholds);
  if (outcome === "success" && count > 1) return applySuccesses(state, count, now, thresholds);
  if (outcome === "rate_limited") return { ...state, rateLimited: [...state.rateLimited, now], updatedAt: now };
  const ok = outcome === "success";
  if (state.state === "open") return state; // late results of requests started before it opened
  if (state.state === "half_open") {
    if (!ok) return open(state, now, reason);
    const successCount = state.successCount + 1;
    if (successCount >= thresholds.halfOpenSuccesses) return { ...initialState(now), updatedAt: now };
    return { ...state, successCount, updatedAt: now };
  }
  const next: BreakerState = {
    ...state,
    recent: [...state.recent, { at: now, ok }],
    failureCount: ok ? 0 : state.failureCount + 1,
    successCount: ok ? state.successCount + 1 : state.successCount,
    lastFailureReason: ok ? state.lastFailureReason : (reason ?? state.lastFailureReason),
    updatedAt: now,
  };
  const tripsOnRate = next.recent.length >= thresholds.minRequests && failureRate(next) >= thresholds.failureRate;
  if (!ok && (next.failureCount >= thresholds.consecutiveFailures || tripsOnRate)) return open(next, now, reason);
  return next;
}

function applySuccesses(state: BreakerState, count: number, now: number, thresholds: BreakerThresholds): BreakerState {
  if (state.state === "open") return state;
  if (state.state === "half_open") {
    const successCount = state.successCount + count;
    if (successCount >= thresholds.halfOpenSuccesses) return { ...initialState(now), updatedAt: now };
    return { ...state, successCount, updatedAt: now };
  }
  const added = Array.from({ length: Math.min(count, 500) }, () => ({ at: now, ok: true }));
  return {
    ...state,
    recent: [...state.recent, ...added].slice(-500),
    failureCount: 0,
    successCount: state.successCount + count,
    updatedAt: now,
  };
}

/** What the API and the isolate caches see (the seed's state object). */
export interface BreakerSnapshot {
  name: string;
  state: BreakerStateName;
  failure_count: number;
  success_count: number;
  failure_rate: number;
  recent_requests: number;
  rate_limited_requests: number;
  opened_at: string | null;
  seconds_until_retry: number;
  last_failure_reason: string | null;
}

export function snapshotOf(
  name: string,
  state: BreakerState,
  now: number,
  thresholds: BreakerThresholds,
): BreakerSnapshot {
  const retryAt =
    state.state === "open" && state.openedAt !== null ? state.openedAt + cooldownMs(state, thresholds) : now;
  return {
    name,
    state: state.state,
    failure_count: state.failureCount,
    success_count: state.successCount,
    failure_rate: Math.round(failureRate(state) * 1000) / 1000,
    recent_requests: state.recent.length,
    rate_limited_requests: state.rateLimited.length,
    opened_at: state.openedAt === null ? null : new Date(state.openedAt).toISOString(),
    seconds_until_retry: Math.max(0, Math.ceil((retryAt - now) / 1000)),
    last_failure_reason: state.lastFailureReason,
  };
}
