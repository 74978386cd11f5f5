// Concurrency gates around an upstream call: one Durable Object per gate (`provider:<slug>`, `key:<id>`),
// never one for all traffic. A gate without a configured limit costs nothing (no Durable Object call).
// Beyond the limit a request waits in the gate's queue up to the wait timeout; a full queue or a wait
// that runs out is a 503 with Retry-After naming the gate.
import type { ConcurrencyGate, GateStats, LeaseStatus } from "../durable-objects/concurrency-gate";
import { ConfigError, type Env } from "../env";
import { ApiError } from "../lib/errors";
import { providers } from "../providers/registry";

/** The seed's defaults (CONCURRENCY_QUEUE_SIZE 50, CONCURRENCY_QUEUE_TIMEOUT 10 s) and our lease TTL. */
export const concurrencyDefaults = {
  queueLimit: 50,
  waitTimeoutMs: 10_000,
  /** Longer than any normal stream: only a request that died without releasing ever reaches it. */
  leaseTtlMs: 10 * 60_000,
} as const;

/** A queued entry outlives its caller's wait by this much, then the gate drops it. */
const queueGraceMs = 5_000;

export interface GateLimit {
  /** The gate's Durable Object name, e.g. `provider:groq` or `key:123`. */
  name: string;
  /** Concurrent requests allowed; null/undefined means the gate is not enforced. */
  limit: number | null | undefined;
  queueLimit?: number;
}

export interface AcquireOptions {
  /** Unique per request (the request id): the lease's name in every gate. */
  leaseId: string;
  waitTimeoutMs?: number;
  leaseTtlMs?: number;
  /** Told when a gate could not be reached and was skipped (fail open), e.g. to report to Sentry. */
  onGateError?: (gate: string, error: unknown) => void;
}

export interface HeldSlots {
  /** The gates actually acquired (gates without a limit, or unreachable ones, are absent). */
  gates: string[];
  waitedMs: number;
  /** Frees every slot; idempotent, never throws (an unreleased lease expires after its TTL). */
  release(): Promise<void>;
}

export const providerGateName = (providerId: string) => `provider:${providerId}`;
export const keyGateName = (keyId: number | string) => `key:${keyId}`;

export const maxConcurrencyVariable = (providerId: string) =>
  `${providerId.toUpperCase().replaceAll("-", "_")}_MAX_CONCURRENCY`;

/** `<SLUG>_MAX_CONCURRENCY` as a positive integer; undefined when unset (not gated). */
export function providerConcurrencyLimit(env: Env, providerId: string): number | undefined {
  const variable = maxConcurrencyVariable(providerId);
  const raw = env[variable];
  if (raw === undefined || raw === null || raw === "") return undefined;
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError([`${variable}: must be a positive integer`]);
  return value;
}

/**
 * The gates for one request, key first: a key over its own limit then waits without holding a provider
 * slot. Every caller must use this one order so two requests never hold each other's next gate.
 */
export function gateLimitsFor(
  env: Env,
  providerId: string,
  key?: { id: number | string; concurrencyLimit: number | null | undefined },
): GateLimit[] {
  const gates: GateLimit[] = [];
  if (key) gates.push({ name: keyGateName(key.id), limit: key.concurrencyLimit });
  gates.push({ name: providerGateName(providerId), limit: providerConcurrencyLimit(env, providerId) });
  return gates;
}

/** Every provider whose `<SLUG>_MAX_CONCURRENCY` is set, with its limit. */
export function gatedProviders(env: Env): { providerId: string; limit: number }[] {
  return Object.keys(providers).flatMap((providerId) => {
    const limit = providerConcurrencyLimit(env, providerId);
    return limit === undefined ? [] : [{ providerId, limit }];
  });
}

export async function readGateStats(env: Env, name: string): Promise<GateStats> {
  const namespace = env.CONCURRENCY_GATE;
  if (!namespace) throw new Error("The CONCURRENCY_GATE Durable Object binding is missing");
  return namespace.getByName(name).stats();
}

function describeGate(name: string): string {
  const [kind, ...rest] = name.split(":");
  const label = kind === "key" ? "API key" : kind;
  return rest.length > 0 ? `${label} '${rest.join(":")}'` : `'${name}'`;
}

function refusal(gate: GateLimit & { limit: number }, reason: "queue_full" | "queue_timeout", waitTimeoutMs: number) {
  // Everyone queued now is admitted or gives up within one wait timeout, so that is when room reappears.
  const retryAfterSeconds = Math.max(1, Math.ceil(waitTimeoutMs / 1000));
  console.warn(JSON.stringify({ msg: "concurrency gate refused a request", gate: gate.name, reason }));
  const detail =
    reason === "queue_full"
      ? `${gate.limit} requests in flight and the queue is full`
      : `no slot freed within ${waitTimeoutMs / 1000} s`;
  return new ApiError(
    503,
    `Too many concurrent requests for ${describeGate(gate.name)}: ${detail}; retry later`,
    "concurrency_limit",
    null,
    { "retry-after": String(retryAfterSeconds) },
  );
}

type GateStub = DurableObjectStub<ConcurrencyGate>;

/**
 * Acquires a slot in every gate that has a limit, in order, sharing one wait deadline. On refusal it
 * frees what it already holds and throws the 503. A gate that cannot be reached is skipped (fail open:
 * a broken gate must not stop inference) and reported through `onGateError`.
 */
export async function acquireSlots(env: Env, gates: readonly GateLimit[], options: AcquireOptions): Promise<HeldSlots> {
  const { leaseId } = options;
  const waitTimeoutMs = options.waitTimeoutMs ?? concurrencyDefaults.waitTimeoutMs;
  const leaseTtlMs = options.leaseTtlMs ?? concurrencyDefaults.leaseTtlMs;
  const started = Date.now();
  const deadline = started + waitTimeoutMs;
  /** Every gate where this lease may exist (admitted or queued): all of them are freed on release. */
  const held: { name: string; stub: GateStub }[] = [];
  const acquired: string[] = [];
  const gateError = (gate: string, error: unknown) => {
    console.error(
      JSON.stringify({
        msg: "concurrency gate unavailable; admitting without it",
        gate,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    options.onGateError?.(gate, error);
  };

  let releasing: Promise<void> | undefined;
  const release = () => {
    releasing ??= Promise.all(
      held.map(({ name, stub }) =>
        stub.release(leaseId).then(
          () => undefined,
          (error: unknown) => gateError(name, error),
        ),
      ),
    ).then(() => undefined);
    return releasing;
  };

  try {
    for (const gate of gates) {
      const limit = gate.limit;
      if (limit === null || limit === undefined || limit <= 0) continue;
      const namespace = env.CONCURRENCY_GATE;
      if (!namespace) {
        gateError(gate.name, new Error("The CONCURRENCY_GATE Durable Object binding is missing"));
        continue;
      }
      const stub = namespace.getByName(gate.name);
      let status: LeaseStatus;
      let queued = false;
      try {
        status = await stub.acquire({
          leaseId,
          limit,
          queueLimit: gate.queueLimit ?? concurrencyDefaults.queueLimit,
          leaseTtlMs,
          queueTtlMs: waitTimeoutMs + queueGraceMs,
        });
        queued = status.queued;
        if (status.admitted || status.queued) held.push({ name: gate.name, stub });
        while (status.queued && Date.now() < deadline) {
          status = await stub.waitForTurn(leaseId, deadline - Date.now());
        }
      } catch (error) {
        // The lease may exist although the answer was lost: releasing an unknown lease is harmless.
        if (!held.some((entry) => entry.stub === stub)) held.push({ name: gate.name, stub });
        gateError(gate.name, error);
        continue;
      }
      if (!status.admitted) throw refusal({ ...gate, limit }, queued ? "queue_timeout" : "queue_full", waitTimeoutMs);
      acquired.push(gate.name);
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { gates: acquired, waitedMs: Date.now() - started, release };
}
