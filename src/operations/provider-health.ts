// Provider health, 0-100, from the provider's recent requests (request log) and its circuit breaker
// (Durable Object). No Hono here: the monitoring API and the health watch can both use it.
//
// Over the window (default the last 15 minutes), with n requests that reached the provider:
//   error rate    e = server errors / n          (failed with 5xx: provider error, timeout, unreachable)
//   availability  70 × max(0, 1 − e / 0.5)        (no errors → 70; 50 % errors or more → 0)
//   latency       30 × clamp((30 000 − p95) / (30 000 − 2 000), 0, 1)
//                 p95 of the response time of completed requests (first chunk for streams, total
//                 latency otherwise): ≤ 2 s → 30, ≥ 30 s (the seed's "slow") → 0; no completed request → 0
//   score         round(availability + latency), then capped by the breaker: open → 0, half_open → ≤ 50
// Fewer than 5 requests: no score (null, status "unknown"), unless the breaker is open (0).
// Status: ≥ 80 healthy, ≥ 50 degraded, else unhealthy. Client errors (4xx) and 429s count in n only.
import type { Database } from "../db/client";
import { type OutcomeStats, outcomesByProvider } from "../db/monitoring-windows";
import type { BreakerSnapshot } from "../durable-objects/breaker-policy";
import type { Env } from "../env";
import { providerBreaker, readBreakerIfKnown, readBreakerSnapshots } from "../gateway/breakers";
import { isProviderId, type ProviderId, providerSettings, providers } from "../providers/registry";

export const healthPolicy = {
  windowMinutes: 15,
  minRequests: 5,
  /** Error rate at which availability reaches 0. */
  errorRateAtZero: 0.5,
  availabilityPoints: 70,
  latencyPoints: 30,
  fastMs: 2_000,
  slowMs: 30_000,
  halfOpenCap: 50,
  healthyAt: 80,
  degradedAt: 50,
} as const;

export type HealthStatus = "healthy" | "degraded" | "unhealthy" | "unknown";

export interface ProviderHealth {
  provider: string;
  /** Has an API key here (a provider seen only in the log may be gone from the configuration). */
  configured: boolean;
  status: HealthStatus;
  healthScore: number | null;
  components: { availability: number | null; latency: number | null; breakerCap: number | null };
  errorRate: number | null;
  stats: OutcomeStats | undefined;
  breaker: BreakerSnapshot | undefined;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function statusOf(score: number | null): HealthStatus {
  if (score === null) return "unknown";
  if (score >= healthPolicy.healthyAt) return "healthy";
  return score >= healthPolicy.degradedAt ? "degraded" : "unhealthy";
}

/** The formula above, for one provider. */
export function scoreProvider(
  provider: string,
  stats: OutcomeStats | undefined,
  breaker: BreakerSnapshot | undefined,
  configured: boolean,
): ProviderHealth {
  const requests = stats?.requests ?? 0;
  const errorRate = stats && requests > 0 ? round(stats.serverErrors / requests, 4) : null;
  const breakerCap = breaker?.state === "open" ? 0 : breaker?.state === "half_open" ? healthPolicy.halfOpenCap : null;
  let availability: number | null = null;
  let latency: number | null = null;
  let score: number | null = null;
  if (stats && requests >= healthPolicy.minRequests && errorRate !== null) {
    availability = round(
      healthPolicy.availabilityPoints * Math.max(0, 1 - errorRate / healthPolicy.errorRateAtZero),
      2,
    );
    const p95 = stats.p95ResponseMs;
    const speed = p95 === null ? 0 : (healthPolicy.slowMs - p95) / (healthPolicy.slowMs - healthPolicy.fastMs);
    latency = round(healthPolicy.latencyPoints * Math.min(1, Math.max(0, speed)), 2);
    score = Math.round(availability + latency);
  }
  if (breakerCap !== null && (score !== null || breakerCap === 0)) score = Math.min(score ?? breakerCap, breakerCap);
  return {
    provider,
    configured,
    status: statusOf(score),
    healthScore: score,
    components: { availability, latency, breakerCap },
    errorRate,
    stats,
    breaker,
  };
}

/** Has an API key here (a malformed base URL still counts: the provider is meant to be used). */
export function isConfigured(env: Env, id: string, environment: string): boolean {
  if (!isProviderId(id)) return false;
  try {
    return providerSettings(env, id, environment) !== undefined;
  } catch {
    return true;
  }
}

export interface HealthReport {
  since: Date;
  windowMinutes: number;
  providers: ProviderHealth[];
  /** False when the breakers could not be read (scores then ignore breaker state). */
  breakersRead: boolean;
}

/**
 * Every provider that is configured, had requests in the window or has a breaker, scored; or only
 * `provider` when given (its models' outcomes are then also returned).
 */
export async function providerHealth(
  db: Database,
  env: Env,
  environment: string,
  options: { windowMinutes?: number; provider?: string; now?: number } = {},
): Promise<HealthReport & { models?: OutcomeStats[] }> {
  const windowMinutes = options.windowMinutes ?? healthPolicy.windowMinutes;
  const since = new Date((options.now ?? Date.now()) - windowMinutes * 60_000);
  const range = { from: since, ...(options.provider === undefined ? {} : { provider: options.provider }) };
  const breakerRead = async (): Promise<BreakerSnapshot[] | undefined> => {
    if (options.provider !== undefined) {
      const one = await readBreakerIfKnown(env, providerBreaker(options.provider));
      return one ? [one] : [];
    }
    return (await readBreakerSnapshots(env, (name) => name.startsWith("provider:")))?.snapshots;
  };
  const [stats, models, breakers] = await Promise.all([
    outcomesByProvider(db, range),
    options.provider === undefined ? Promise.resolve(undefined) : outcomesByProvider(db, range, "model"),
    breakerRead().catch((error: unknown) => {
      console.error(JSON.stringify({ msg: "provider health: breakers unavailable", error: String(error) }));
      return undefined;
    }),
  ]);
  const statsBy = new Map(stats.map((row) => [row.provider, row]));
  const breakerBy = new Map((breakers ?? []).map((snapshot) => [snapshot.name.slice("provider:".length), snapshot]));
  const names = new Set<string>([...statsBy.keys(), ...breakerBy.keys()]);
  if (options.provider !== undefined) {
    if (isProviderId(options.provider)) names.add(options.provider);
  } else {
    for (const id of Object.keys(providers) as ProviderId[]) if (isConfigured(env, id, environment)) names.add(id);
  }
  const scored = [...names]
    .filter((name) => options.provider === undefined || name === options.provider)
    .map((name) => scoreProvider(name, statsBy.get(name), breakerBy.get(name), isConfigured(env, name, environment)))
    .sort((a, b) => (a.healthScore ?? 101) - (b.healthScore ?? 101) || a.provider.localeCompare(b.provider));
  return {
    since,
    windowMinutes,
    providers: scored,
    breakersRead: breakers !== undefined,
    ...(models ? { models } : {}),
  };
}

/** The gateway as a whole: unhealthy when every scored provider is, degraded when any is not healthy. */
export function overallStatus(report: ProviderHealth[]): HealthStatus {
  const scored = report.filter((entry) => entry.healthScore !== null);
  if (scored.length === 0) return "unknown";
  if (scored.every((entry) => entry.status === "unhealthy")) return "unhealthy";
  return scored.some((entry) => entry.status !== "healthy") ? "degraded" : "healthy";
}
