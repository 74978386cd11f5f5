import type { RouteHandler } from "@hono/zod-openapi";
import { providerTimingSince, slowLatencyMs, verySlowLatencyMs } from "../../db/provider-timing";
import type { GateStats } from "../../durable-objects/concurrency-gate";
import type { AppEnv, Env } from "../../env";
import {
  concurrencyDefaults,
  gatedProviders,
  providerConcurrencyLimit,
  providerGateName,
  readGateStats,
} from "../../gateway/concurrency";
import { badRequest } from "../../lib/errors";
import { isProviderId, type ProviderId, providerIdFor, providerSettings, providers } from "../../providers/registry";
import type { concurrencyDiagnosticsRoute, providerTimingRoute } from "./diagnostics.routes";

/** The seed's thresholds (001:L8812-8818): percentages of the concurrency limit and of the queue size. */
const thresholds = {
  critical: { utilization_percent: 90, queue_utilization_percent: 80 },
  warning: { utilization_percent: 70, queue_utilization_percent: 60 },
} as const;

type GateHealth = "healthy" | "warning" | "critical";
const severity = { healthy: 0, unknown: 1, warning: 2, critical: 3 } as const;

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

function percentOf(used: number, capacity: number): number {
  if (capacity <= 0) return used > 0 ? 100 : 0;
  return oneDecimal((used / capacity) * 100);
}

function healthOf(utilization: number, queueUtilization: number): GateHealth {
  const over = (level: keyof typeof thresholds) =>
    utilization >= thresholds[level].utilization_percent ||
    queueUtilization >= thresholds[level].queue_utilization_percent;
  if (over("critical")) return "critical";
  return over("warning") ? "warning" : "healthy";
}

function measuredGate(provider: string, limit: number, stats: GateStats) {
  const queueLimit = concurrencyDefaults.queueLimit;
  const utilization = percentOf(stats.active, limit);
  const queueUtilization = percentOf(stats.queued, queueLimit);
  return {
    provider,
    gate: providerGateName(provider),
    active_requests: stats.active,
    queued_requests: stats.queued,
    concurrency_limit: limit,
    queue_size_limit: queueLimit,
    queue_timeout_seconds: concurrencyDefaults.waitTimeoutMs / 1000,
    utilization_percent: utilization,
    queue_utilization_percent: queueUtilization,
    available_slots: Math.max(0, limit - stats.active),
    available_queue_slots: Math.max(0, queueLimit - stats.queued),
    oldest_lease_age_ms: stats.oldestLeaseAgeMs,
    status: healthOf(utilization, queueUtilization),
  };
}

/** Has an API key (a broken base URL still counts: the provider is meant to be used). */
function isConfigured(env: Env, providerId: ProviderId, environment: string): boolean {
  try {
    return providerSettings(env, providerId, environment) !== undefined;
  } catch {
    return true;
  }
}

/** The providers the query names (aliases allowed), or null for "every provider". */
function namedProviders(query: string | undefined): string[] | null {
  if (query === undefined) return null;
  return [
    ...new Set(
      query.split(",").map((slug) => {
        const id = providerIdFor(slug);
        if (!id) throw badRequest(`Unknown provider '${slug}'`, "unknown_provider", "provider");
        return id;
      }),
    ),
  ];
}

export const concurrencyDiagnostics: RouteHandler<typeof concurrencyDiagnosticsRoute, AppEnv> = async (c) => {
  const named = namedProviders(c.req.valid("query").provider);
  let gated: { providerId: string; limit: number }[];
  let ungated: string[];
  if (named) {
    gated = [];
    ungated = [];
    for (const providerId of named) {
      const limit = providerConcurrencyLimit(c.env, providerId);
      if (limit === undefined) ungated.push(providerId);
      else gated.push({ providerId, limit });
    }
  } else {
    gated = gatedProviders(c.env);
    const environment = c.var.config.ENVIRONMENT;
    ungated = Object.keys(providers)
      .filter(isProviderId)
      .filter((id) => isConfigured(c.env, id, environment) && !gated.some((gate) => gate.providerId === id));
  }

  const gates = await Promise.all(
    gated.map(async ({ providerId, limit }) => {
      try {
        return measuredGate(providerId, limit, await readGateStats(c.env, providerGateName(providerId)));
      } catch (error) {
        // As the seed does: a gate that cannot be read is reported, not a failed request.
        console.error(
          JSON.stringify({
            msg: "concurrency gate stats unavailable",
            request_id: c.var.requestId,
            gate: providerGateName(providerId),
            error: error instanceof Error ? error.message : String(error),
          }),
        );
        return {
          provider: providerId,
          gate: providerGateName(providerId),
          concurrency_limit: limit,
          queue_size_limit: concurrencyDefaults.queueLimit,
          status: "unknown" as const,
          error: "The gate's statistics could not be read",
        };
      }
    }),
  );
  const status = gates.reduce<keyof typeof severity>(
    (worst, gate) => (severity[gate.status] > severity[worst] ? gate.status : worst),
    "healthy",
  );
  return c.json({ status, gates, ungated_providers: ungated, thresholds }, 200);
};

export const providerTiming: RouteHandler<typeof providerTimingRoute, AppEnv> = async (c) => {
  const { window_hours: windowHours } = c.req.valid("query");
  const since = new Date(Date.now() - windowHours * 3_600_000);
  const summary = await providerTimingSince(c.var.db(), since);
  const slowRequestCounts: Record<string, { slow: number; very_slow: number }> = {};
  for (const row of summary.slowModels) {
    slowRequestCounts[`${row.provider}/${row.model}`] = { slow: row.slow, very_slow: row.verySlow };
  }
  return c.json(
    {
      metrics_available: true as const,
      window_hours: windowHours,
      since: since.toISOString(),
      providers: summary.providers.map((row) => ({
        provider: row.provider,
        requests: row.requests,
        avg_latency_ms: row.avgLatencyMs,
        p95_latency_ms: row.p95LatencyMs,
        max_latency_ms: row.maxLatencyMs,
        slow: row.slow,
        very_slow: row.verySlow,
      })),
      slow_request_counts: slowRequestCounts,
      thresholds: {
        slow: `${slowLatencyMs / 1000}-${verySlowLatencyMs / 1000} seconds`,
        very_slow: `>${verySlowLatencyMs / 1000} seconds`,
      },
      note: "Measured by the gateway: latency_ms of the requests it logged in the window (failed requests included)",
    },
    200,
  );
};
