import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../common.schemas";

export const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["Metrics"],
  summary: "Prometheus metrics from shared state: request log, circuit breakers, concurrency gates, HTTP counters",
  description: [
    "Text exposition format 0.0.4. With METRICS_TOKEN set, send `Authorization: Bearer <METRICS_TOKEN>`; unset, the endpoint is public.",
    "",
    "Request-log counters (`model_inference_requests_total{provider,model,status}`, `model_inference_failures_total{provider,model,http_status}`, `tokens_used_total{provider,model,token_type}`, `api_cost_usd_total{provider,model}`, `upstream_attempt_failures_total` and `upstream_timeouts_total{provider,model}`) and histograms (`model_inference_duration_seconds`, `model_inference_time_to_first_chunk_seconds`) are all-time sums of chat_completion_requests, exact at scrape time: totals older than a 10-minute boundary at least 5 minutes in the past are final and cached per isolate, so a scrape reads only the rows since (an index range scan); an isolate's first scrape sums the whole table once.",
    "",
    "Read live on each scrape: `circuit_breaker_current_state{scope,provider,model}` (0 closed, 1 half_open, 2 open) and `circuit_breaker_failure_rate` from every breaker's Durable Object (at most 500), `concurrency_gate_active_requests|queued_requests|limit{provider}` for providers with <PROVIDER>_MAX_CONCURRENCY (per-key gates are not listed), and `http_requests_total{method,route,status}` / `http_request_duration_seconds{method,route}` from Upstash (route = the matched route pattern; `unmatched` for 404s).",
    "",
    "A source that cannot be read is omitted and `gateway_metrics_source_up{source}` is 0 for it.",
  ].join("\n"),
  security: [{ bearerAuth: [] }],
  responses: {
    200: {
      description: "Prometheus text exposition",
      content: {
        "text/plain": {
          schema: z.string().openapi({
            example:
              '# HELP model_inference_requests_total Inference requests ...\n# TYPE model_inference_requests_total counter\nmodel_inference_requests_total{provider="groq",model="llama-3.1-8b-instant",status="completed"} 1027',
          }),
        },
      },
    },
    ...errorResponses(401, 500),
  },
});
