import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../common.schemas";
import { HealthStatusSchema, OutcomeSchema, ProviderHealthSchema, providerParam, tags } from "./monitoring.schemas";

export const HEALTH_FORMULA = [
  "Over the window (default 15 minutes), with n requests that reached the provider:",
  "error rate e = server errors (failed with 5xx: provider error, timeout, unreachable) / n;",
  "availability = 70 × max(0, 1 − e / 0.5); latency = 30 × clamp((30000 − p95) / 28000, 0, 1), where p95 is the",
  "95th percentile response time of completed requests in ms (first chunk for streams, total latency otherwise;",
  "no completed request → 0); score = round(availability + latency), capped at 0 while the provider's circuit",
  "breaker is open and at 50 while it is half-open. Fewer than 5 requests: no score (null, status unknown) unless",
  "the breaker is open (0). Status: ≥ 80 healthy, ≥ 50 degraded, below unhealthy. Client errors (4xx) and 429s",
  "count in n but not as errors.",
].join(" ");

const windowQuery = z.object({
  window_minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(15)
    .openapi({ description: "The recent window the score is computed over, 1-1440 minutes" }),
});

export const healthRoute = createRoute({
  method: "get",
  path: "/api/monitoring/health",
  tags,
  summary:
    "Health score (0-100) of every provider: configured ones, those with recent requests and those with a breaker",
  description: `Public (no key): aggregate figures only, like /circuit-breakers. ${HEALTH_FORMULA} Overall status: unhealthy when every scored provider is, degraded when any is not healthy, unknown when none has enough requests. Worst first.`,
  request: { query: windowQuery },
  responses: {
    200: jsonContent(
      z
        .object({
          status: HealthStatusSchema,
          window_minutes: z.number().int(),
          since: z.string(),
          timestamp: z.string(),
          breakers_read: z.boolean().openapi({ description: "False when the breakers could not be read" }),
          summary: z.object({
            providers: z.number().int(),
            healthy: z.number().int(),
            degraded: z.number().int(),
            unhealthy: z.number().int(),
            unknown: z.number().int(),
          }),
          providers: z.array(ProviderHealthSchema),
          method: z.string(),
        })
        .openapi("MonitoringHealth"),
      "Provider health",
    ),
    ...errorResponses(400, 500, 503),
  },
});

export const providerHealthRoute = createRoute({
  method: "get",
  path: "/api/monitoring/health/{provider}",
  tags,
  summary: "One provider's health score, breaker and per-model outcomes over the window",
  description: `Public (no key). ${HEALTH_FORMULA} 404 for a slug that is not a provider here and has neither requests in the window nor a breaker.`,
  request: { params: providerParam, query: windowQuery },
  responses: {
    200: jsonContent(
      z
        .object({
          ...ProviderHealthSchema.shape,
          window_minutes: z.number().int(),
          since: z.string(),
          timestamp: z.string(),
          models: z.array(z.object({ model: z.string(), ...OutcomeSchema.shape })),
          method: z.string(),
        })
        .openapi("MonitoringProviderHealth"),
      "The provider's health",
    ),
    ...errorResponses(400, 404, 500, 503),
  },
});
