// The hot path's view of circuit breakers: a per-isolate copy of each breaker's state, refreshed from
// its Durable Object in the background every few seconds, and outcomes reported after the response.
// A cold or stale entry never delays a request: it is treated as last known (closed if never seen).
import type { BreakerOutcome, BreakerSnapshot } from "../durable-objects/breaker-policy";
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

export function reportOutcome(
  env: Env,
  name: string,
  outcome: BreakerOutcome,
  reason: string | null,
  defer: (work: Promise<unknown>) => void,
): void {
  const namespace = env.CIRCUIT_BREAKER;
  if (!namespace) return;
  defer(namespace.getByName(name).record(name, outcome, reason).then(remember));
}
