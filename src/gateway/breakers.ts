// The hot path's view of circuit breakers: a per-isolate copy of each breaker's state, refreshed from
// its Durable Object in the background every few seconds, and outcomes reported after the response.
// A cold or stale entry never delays a request: it is treated as last known (closed if never seen).
import type { BreakerOutcome, BreakerSnapshot } from "../durable-objects/breaker-policy";
import { breakerRegistryName } from "../durable-objects/circuit-breaker";
import type { Env } from "../env";
import { TtlCache } from "../lib/ttl-cache";

const refreshMs = 5_000;
/** Last known state, with the absolute time an open breaker may be probed again. */
const known = new Map<string, { state: BreakerSnapshot["state"]; retryAt: number }>();
const fresh = new TtlCache<true>();

export const providerBreaker = (provider: string) => `provider:${provider}`;
export const modelBreaker = (provider: string, model: string) => `model:${provider}/${model}`;

function remember(snapshot: BreakerSnapshot): void {
  known.set(snapshot.name, { state: snapshot.state, retryAt: Date.now() + snapshot.seconds_until_retry * 1000 });
  fresh.set(snapshot.name, true, refreshMs);
}

export function clearBreakerCache(): void {
  known.clear();
  fresh.clear();
  pendingSuccesses.clear();
}

/**
 * Whether a breaker lets requests through now (closed or half-open). Starts a background refresh
 * when the cached copy is older than a few seconds.
 */
export function breakerAllows(env: Env, name: string, defer: (work: Promise<unknown>) => void): boolean {
  const namespace = env.CIRCUIT_BREAKER;
  if (!namespace) return true;
  if (!fresh.get(name)) {
    fresh.set(name, true, refreshMs); // one refresh in flight per name and interval
    defer(namespace.getByName(name).snapshot(name).then(remember));
  }
  const last = known.get(name);
  if (last?.state !== "open") return true;
  // An open breaker whose cooldown has run out is half-open: let the probe through.
  return Date.now() >= last.retryAt;
}

/**
 * Successes of a closed breaker are counted in the isolate and sent at most once per
 * SUCCESS_FLUSH_MS per breaker (two Durable Object writes per request cost more than the request);
 * failures, rate limits and anything while a breaker is open or half-open go at once. A batch lost
 * with its isolate only makes a failure rate look slightly worse.
 */
const SUCCESS_FLUSH_MS = 1_000;
const pendingSuccesses = new Map<string, { count: number; since: number }>();

export function reportOutcome(
  env: Env,
  name: string,
  outcome: BreakerOutcome,
  reason: string | null,
  defer: (work: Promise<unknown>) => void,
): void {
  const namespace = env.CIRCUIT_BREAKER;
  if (!namespace) return;
  const breaker = namespace.getByName(name);
  const now = Date.now();
  const pending = pendingSuccesses.get(name);
  if (outcome === "success" && (known.get(name)?.state ?? "closed") === "closed") {
    if (!pending) {
      pendingSuccesses.set(name, { count: 1, since: now });
      return;
    }
    pending.count += 1;
    if (now - pending.since < SUCCESS_FLUSH_MS) return;
    pendingSuccesses.delete(name);
    defer(breaker.record(name, "success", null, pending.count).then(remember));
    return;
  }
  // Earlier successes first, so a failure lands after them as it happened.
  if (pending) {
    pendingSuccesses.delete(name);
    defer(
      breaker
        .record(name, "success", null, pending.count)
        .then(() => breaker.record(name, outcome, reason))
        .then(remember),
    );
    return;
  }
  defer(breaker.record(name, outcome, reason).then(remember));
}

/**
 * Every registered breaker whose name `select` accepts, each read from its own Durable Object (the
 * shared state, not this isolate's copy), at most `limit` of them in name order. undefined when the
 * CIRCUIT_BREAKER binding is missing. For monitoring reads (/metrics, provider health), not the hot path.
 */
export async function readBreakerSnapshots(
  env: Env,
  select: (name: string) => boolean = () => true,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ snapshots: BreakerSnapshot[]; truncated: boolean } | undefined> {
  const namespace = env.CIRCUIT_BREAKER;
  if (!namespace) return undefined;
  const names = (await namespace.getByName(breakerRegistryName).names()).filter(select);
  const chosen = names.slice(0, limit);
  const snapshots = await Promise.all(chosen.map((name) => namespace.getByName(name).snapshot(name)));
  return { snapshots, truncated: chosen.length < names.length };
}

/** A registered breaker's state, or undefined when it never existed (reading does not create it). */
export async function readBreakerIfKnown(env: Env, name: string): Promise<BreakerSnapshot | undefined> {
  const namespace = env.CIRCUIT_BREAKER;
  if (!namespace) return undefined;
  if (!(await namespace.getByName(breakerRegistryName).isRegistered(name))) return undefined;
  return namespace.getByName(name).snapshot(name);
}
