import { createRoute, z } from "@hono/zod-openapi";
import { throughputWindows } from "../../db/request-analytics-throughput";
import { errorResponses } from "../common.schemas";

const tags = ["Metrics"];
const windows = Object.keys(throughputWindows) as [
  keyof typeof throughputWindows,
  ...(keyof typeof throughputWindows)[],
];

const prometheusText = (description: string) => ({
  description,
  content: {
    "text/plain": {
      schema: z.string().openapi({
        example:
          'gateway_tokens_per_second{model="gpt-4o",provider="openai",requests="150",total_tokens="50000"} 125.5',
      }),
    },
  },
});

const modelQuery = {
  model_id: z.coerce.number().int().positive().openapi({ description: "A catalog model (models.id)" }),
  provider_id: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .openapi({ description: "The provider's slug, e.g. openrouter (seed name)" }),
};

export const tokensPerSecondRoute = createRoute({
  method: "get",
  path: "/v1/chat/completions/metrics/tokens-per-second",
  tags,
  summary: "Token throughput of one model at one provider over a recent window (Prometheus text)",
  description:
    "Σ(input + output tokens) / Σ(latency) over completed requests. Only the 3 models with the most completed requests and the most-requested model of each provider are served (403 otherwise), which bounds the metric's cardinality; that set is refreshed every minute. No data: 200 with `# No data available`.",
  request: {
    query: z.object({
      time: z.enum(windows, { message: `time must be one of: ${windows.join(", ")}` }),
      ...modelQuery,
    }),
  },
  responses: { 200: prometheusText("Prometheus text exposition"), ...errorResponses(400, 403, 500, 503) },
});

export const tokensPerSecondAllRoute = createRoute({
  method: "get",
  path: "/v1/chat/completions/metrics/tokens-per-second/all",
  tags,
  summary: "All-time token throughput of any model at one provider (Prometheus text)",
  request: { query: z.object(modelQuery) },
  responses: { 200: prometheusText("Prometheus text exposition"), ...errorResponses(400, 500, 503) },
});
