import { createRoute, z } from "@hono/zod-openapi";
import { isoInstant, RequestSummarySchema } from "../admin/monitoring/monitoring.schemas";
import { adminSecurity, errorResponses, jsonContent } from "../common.schemas";
import { OutcomeSchema, SignalSchema, tags } from "./monitoring.schemas";

const providerFilter = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .optional()
  .openapi({ description: "Only this provider (its slug as the request log records it)" });

const perProvider = z.object({ provider: z.string(), ...OutcomeSchema.shape });
const perModel = z.object({ provider: z.string(), model: z.string(), ...OutcomeSchema.shape });

export const realtimeRoute = createRoute({
  method: "get",
  path: "/api/monitoring/stats/realtime",
  tags,
  summary: "The last minutes of traffic: totals, per minute, per provider, and gated providers' in-flight requests",
  description:
    "Admin. Computed from the request log at each call (requests appear once settled, right after their response). `concurrency` lists only providers with <PROVIDER>_MAX_CONCURRENCY: the gateway does not track in-flight requests elsewhere.",
  security: adminSecurity,
  request: {
    query: z.object({
      window_minutes: z.coerce.number().int().min(1).max(60).default(5).openapi({ description: "1-60, default 5" }),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          window_minutes: z.number().int(),
          since: z.string(),
          timestamp: z.string(),
          totals: RequestSummarySchema.extend({
            requests_per_minute: z.number(),
            tokens_per_second: z.number().openapi({ description: "Input + output tokens per second of the window" }),
          }),
          per_minute: z.array(
            z.object({
              minute: z.string(),
              requests: z.number().int(),
              failed: z.number().int(),
              server_errors: z.number().int(),
              tokens: z.number().int(),
              cost_usd: z.number(),
            }),
          ),
          providers: z.array(perProvider),
          concurrency: z.object({
            gates: z.array(
              z.object({
                provider: z.string(),
                active: z.number().int().nullable(),
                queued: z.number().int().nullable(),
                limit: z.number().int(),
                error: z.string().optional(),
              }),
            ),
            note: z.string(),
          }),
        })
        .openapi("MonitoringRealtime"),
      "Recent traffic",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const errorRatesRoute = createRoute({
  method: "get",
  path: "/api/monitoring/error-rates",
  tags,
  summary: "Error rates per provider, per model and per hour over the last hours",
  description:
    "Admin. error_rate = server errors (failed with 5xx) / requests; client errors (4xx except 429), rate limits (429) and timeouts (504/408) are counted apart. Only requests that reached a provider.",
  security: adminSecurity,
  request: {
    query: z.object({
      hours: z.coerce.number().int().min(1).max(168).default(24).openapi({ description: "1-168, default 24" }),
      provider: providerFilter,
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          window_hours: z.number().int(),
          since: z.string(),
          timestamp: z.string(),
          overall: OutcomeSchema.omit({ avg_latency_ms: true, p95_response_ms: true, last_request_at: true }),
          by_provider: z.array(perProvider),
          by_model: z.array(perModel),
          hourly: z.array(
            z.object({
              hour: z.string(),
              requests: z.number().int(),
              failed: z.number().int(),
              server_errors: z.number().int(),
              error_rate: z.number(),
            }),
          ),
        })
        .openapi("MonitoringErrorRates"),
      "Error rates",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

const costLine = {
  requests: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cost_usd: z.number(),
};

export const costAnalysisRoute = createRoute({
  method: "get",
  path: "/api/monitoring/cost-analysis",
  tags,
  summary: "Cost per provider, per model (most expensive first) and per UTC day",
  description:
    "Admin. The period is start_date..end_date when given, else the last `days` days. Costs are the catalog prices charged (exact sums in SQL); unpriced_requests were served without a catalog price and cost 0.",
  security: adminSecurity,
  request: {
    query: z.object({
      days: z.coerce.number().int().min(1).max(366).default(7).openapi({ description: "1-366, default 7" }),
      start_date: isoInstant.optional().openapi({ description: "ISO 8601; overrides days" }),
      end_date: isoInstant.optional().openapi({ description: "ISO 8601, inclusive; default now" }),
      provider: providerFilter,
      limit: z.coerce.number().int().min(1).max(200).default(20).openapi({ description: "Models listed, 1-200" }),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          period: z.object({ start: z.string(), end: z.string() }),
          timestamp: z.string(),
          total: z.object({
            ...costLine,
            unpriced_requests: z.number().int(),
            avg_cost_per_request_usd: z.number(),
            cost_per_1k_tokens_usd: z.number(),
          }),
          by_provider: z.array(z.object({ provider: z.string().nullable(), ...costLine, share_percent: z.number() })),
          by_model: z.array(z.object({ provider: z.string().nullable(), model: z.string(), ...costLine })),
          models_total: z.number().int(),
          daily: z.array(z.object({ date: z.string(), ...costLine })),
        })
        .openapi("MonitoringCostAnalysis"),
      "Cost breakdown",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const ANOMALY_METHOD = [
  "Each provider's recent window against its own baseline (the baseline_hours before that window).",
  "Error rate: p0 = (baseline server errors + 1) / (baseline requests + 2), z = (p − p0) / √(p0(1 − p0)/n) over the",
  "n recent requests; anomalous when n ≥ 10, baseline ≥ 30 requests, z ≥ 3 and p − p0 ≥ 0.05 (critical when p ≥ 0.5).",
  "Response time (completed requests; first chunk for streams, total latency otherwise): z = (recent mean − baseline",
  "mean) / (baseline sd / √m); anomalous when m ≥ 10, baseline ≥ 30 completed, z ≥ 3 and the recent mean is ≥ 1.5 ×",
  "the baseline's (critical at ≥ 3 ×). Only rises are flagged; too few requests on either side: insufficient_data.",
].join(" ");

export const anomaliesRoute = createRoute({
  method: "get",
  path: "/api/monitoring/anomalies",
  tags,
  summary: "Providers whose recent error rate or response time departs from their own baseline",
  description: `Admin. ${ANOMALY_METHOD}`,
  security: adminSecurity,
  request: {
    query: z.object({
      recent_minutes: z.coerce.number().int().min(5).max(180).default(15).openapi({ description: "5-180, default 15" }),
      baseline_hours: z.coerce.number().int().min(1).max(168).default(24).openapi({ description: "1-168, default 24" }),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          recent_window: z.object({ from: z.string(), to: z.string() }),
          baseline_window: z.object({ from: z.string(), to: z.string() }),
          timestamp: z.string(),
          anomalies: z.array(
            z.object({ provider: z.string(), signal: z.enum(["error_rate", "response_time"]), ...SignalSchema.shape }),
          ),
          providers: z.array(z.object({ provider: z.string(), error_rate: SignalSchema, response_time: SignalSchema })),
          method: z.string(),
        })
        .openapi("MonitoringAnomalies"),
      "Anomalies",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});
