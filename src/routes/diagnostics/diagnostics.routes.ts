import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../common.schemas";

const percent = z.number().openapi({ description: "0–100, one decimal" });

const MeasuredGateSchema = z.object({
  provider: z.string().openapi({ example: "groq" }),
  gate: z.string().openapi({ example: "provider:groq" }),
  active_requests: z.number().int(),
  queued_requests: z.number().int(),
  concurrency_limit: z.number().int().openapi({ description: "<SLUG>_MAX_CONCURRENCY" }),
  queue_size_limit: z.number().int(),
  queue_timeout_seconds: z.number(),
  utilization_percent: percent,
  queue_utilization_percent: percent,
  available_slots: z.number().int(),
  available_queue_slots: z.number().int(),
  oldest_lease_age_ms: z.number().int().nullable().openapi({ description: "Age of the oldest active request" }),
  status: z.enum(["healthy", "warning", "critical"]),
});

const UnreachableGateSchema = z.object({
  provider: z.string(),
  gate: z.string(),
  concurrency_limit: z.number().int(),
  queue_size_limit: z.number().int(),
  status: z.literal("unknown"),
  error: z.string(),
});

const thresholdSchema = z.object({ utilization_percent: z.number(), queue_utilization_percent: z.number() });

export const ConcurrencyDiagnosticsSchema = z
  .object({
    status: z.enum(["healthy", "warning", "critical", "unknown"]).openapi({ description: "The worst gate's status" }),
    gates: z.array(z.union([MeasuredGateSchema, UnreachableGateSchema])),
    ungated_providers: z.array(z.string()).openapi({
      description:
        "Providers named in the query (or, without one, providers with an API key) that have no <SLUG>_MAX_CONCURRENCY",
    }),
    thresholds: z.object({ warning: thresholdSchema, critical: thresholdSchema }).openapi({
      description:
        "A gate is critical at or above either critical value, else warning at or above either warning value",
    }),
  })
  .openapi("ConcurrencyDiagnostics");

export const concurrencyDiagnosticsRoute = createRoute({
  method: "get",
  path: "/api/diagnostics/concurrency",
  tags: ["Diagnostics"],
  summary: "Concurrency gates of providers: active and queued requests vs limits, utilisation, health (admin)",
  description:
    "For diagnosing `503 concurrency_limit`. Per-key gates are not listed. A gate that cannot be read is reported with status `unknown`.",
  security: [{ bearerAuth: [] }],
  request: {
    query: z.object({
      provider: z
        .string()
        .regex(/^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$/, "must be provider slugs separated by commas")
        .optional()
        .openapi({
          param: { name: "provider", in: "query" },
          example: "groq",
          description: "Only these providers (comma-separated); default: every provider with a limit",
        }),
    }),
  },
  responses: {
    200: {
      description: "Gate statistics",
      content: { "application/json": { schema: ConcurrencyDiagnosticsSchema } },
    },
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

const ProviderTimingSchema = z.object({
  provider: z.string(),
  requests: z.number().int().openapi({ description: "Requests with a measured latency in the window" }),
  avg_latency_ms: z.number().int(),
  p95_latency_ms: z.number().int(),
  max_latency_ms: z.number().int(),
  slow: z.number().int().openapi({ description: "30–45 s" }),
  very_slow: z.number().int().openapi({ description: "Over 45 s" }),
});

export const ProviderTimingSummarySchema = z
  .object({
    metrics_available: z.literal(true),
    window_hours: z.number().int(),
    since: z.string(),
    providers: z.array(ProviderTimingSchema),
    slow_request_counts: z
      .record(z.string(), z.object({ slow: z.number().int(), very_slow: z.number().int() }))
      .openapi({ description: "Keyed by `<provider>/<model>`; only models with slow requests" }),
    thresholds: z.object({ slow: z.string(), very_slow: z.string() }),
    note: z.string(),
  })
  .openapi("ProviderTimingSummary");

export const providerTimingRoute = createRoute({
  method: "get",
  path: "/api/diagnostics/provider-timing",
  tags: ["Diagnostics"],
  summary: "Provider response times from the request log: average, p95, slow (30–45 s) and very slow (> 45 s) (admin)",
  security: [{ bearerAuth: [] }],
  request: {
    query: z.object({
      window_hours: z.coerce
        .number()
        .int()
        .min(1)
        .max(168)
        .default(24)
        .openapi({ param: { name: "window_hours", in: "query" }, example: 24, description: "1–168, default 24" }),
    }),
  },
  responses: {
    200: {
      description: "Timing per provider over the window",
      content: { "application/json": { schema: ProviderTimingSummarySchema } },
    },
    ...errorResponses(400, 401, 403, 500, 503),
  },
});
