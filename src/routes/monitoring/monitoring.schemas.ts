// Response schemas of the monitoring API (/api/monitoring/*), and the presenters from the operations
// layer's records to them (money as USD numbers from exact decimals, rates as fractions 0-1).
import { z } from "@hono/zod-openapi";
import type { OutcomeStats } from "../../db/monitoring-windows";
import { usdNumberOf } from "../../lib/money";
import type { SignalVerdict } from "../../operations/provider-anomalies";
import type { ProviderHealth } from "../../operations/provider-health";

export const tags = ["Monitoring"];

export const providerParam = z.object({
  provider: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, "must be a provider slug")
    .openapi({ param: { name: "provider", in: "path" }, example: "openrouter" }),
});

const rate = (description: string) => z.number().nullable().openapi({ description });

export const OutcomeSchema = z.object({
  requests: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  server_errors: z.number().int().openapi({ description: "Failed with 5xx (provider error, timeout, unreachable)" }),
  client_errors: z.number().int().openapi({ description: "Failed with 4xx other than 429" }),
  rate_limited: z.number().int().openapi({ description: "Answered 429" }),
  timeouts: z.number().int().openapi({ description: "Answered 504 or 408" }),
  error_rate: rate("server_errors / requests (0-1); null without requests"),
  avg_latency_ms: z.number().nullable().openapi({ description: "Mean total latency of completed requests" }),
  p95_response_ms: z
    .number()
    .nullable()
    .openapi({ description: "p95 of completed requests' first chunk (streams) or total latency" }),
  cost_usd: z.number(),
  last_request_at: z.string().nullable(),
});

export function presentOutcome(stats: OutcomeStats | undefined) {
  const requests = stats?.requests ?? 0;
  return {
    requests,
    completed: stats?.completed ?? 0,
    failed: stats?.failed ?? 0,
    server_errors: stats?.serverErrors ?? 0,
    client_errors: stats?.clientErrors ?? 0,
    rate_limited: stats?.rateLimited ?? 0,
    timeouts: stats?.timeouts ?? 0,
    error_rate: stats && requests > 0 ? Math.round((stats.serverErrors / requests) * 10_000) / 10_000 : null,
    avg_latency_ms: stats?.avgLatencyMs ?? null,
    p95_response_ms: stats?.p95ResponseMs ?? null,
    cost_usd: usdNumberOf(stats?.costUsd ?? "0"),
    last_request_at: stats?.lastRequestAt ?? null,
  };
}

export const HealthStatusSchema = z.enum(["healthy", "degraded", "unhealthy", "unknown"]);

export const ProviderHealthSchema = z
  .object({
    provider: z.string(),
    configured: z.boolean().openapi({ description: "Has an API key in this deployment" }),
    status: HealthStatusSchema,
    health_score: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "0-100; null with fewer than 5 requests in the window (unless the breaker is open)" }),
    components: z.object({
      availability: z.number().nullable().openapi({ description: "0-70 from the error rate" }),
      latency: z.number().nullable().openapi({ description: "0-30 from the p95 response time" }),
      breaker_cap: z.number().nullable().openapi({ description: "0 when the breaker is open, 50 when half-open" }),
    }),
    ...OutcomeSchema.shape,
    circuit_breaker: z
      .object({
        state: z.enum(["closed", "open", "half_open"]),
        failure_rate: z.number(),
        recent_requests: z.number().int(),
        opened_at: z.string().nullable(),
        seconds_until_retry: z.number().int(),
        last_failure_reason: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "null when the provider has no breaker yet (never called)" }),
  })
  .openapi("ProviderHealth");

export function presentHealth(health: ProviderHealth) {
  const breaker = health.breaker;
  return {
    provider: health.provider,
    configured: health.configured,
    status: health.status,
    health_score: health.healthScore,
    components: {
      availability: health.components.availability,
      latency: health.components.latency,
      breaker_cap: health.components.breakerCap,
    },
    ...presentOutcome(health.stats),
    circuit_breaker: breaker
      ? {
          state: breaker.state,
          failure_rate: breaker.failure_rate,
          recent_requests: breaker.recent_requests,
          opened_at: breaker.opened_at,
          seconds_until_retry: breaker.seconds_until_retry,
          last_failure_reason: breaker.last_failure_reason,
        }
      : null,
  };
}

export const SignalSchema = z.object({
  verdict: z.enum(["anomalous", "normal", "insufficient_data"]),
  severity: z.enum(["warning", "critical"]).nullable(),
  recent: z
    .number()
    .nullable()
    .openapi({ description: "Error rate (0-1) or mean response time (ms) in the recent window" }),
  baseline: z.number().nullable(),
  z_score: z.number().nullable(),
  change: z
    .number()
    .nullable()
    .openapi({ description: "recent − baseline (error rate) or recent / baseline (response time)" }),
  recent_samples: z.number().int(),
  baseline_samples: z.number().int(),
});

export function presentSignal(verdict: SignalVerdict) {
  return {
    verdict: verdict.verdict,
    severity: verdict.severity,
    recent: verdict.recent,
    baseline: verdict.baseline,
    z_score: verdict.zScore,
    change: verdict.change,
    recent_samples: verdict.recentSamples,
    baseline_samples: verdict.baselineSamples,
  };
}
