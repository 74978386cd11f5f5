import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, userKeySecurity } from "../common.schemas";

export const GenerationSchema = z
  .object({
    data: z.object({
      id: z.string().openapi({ description: "The request id (x-request-id of the inference response)" }),
      model: z.string(),
      provider: z.string().nullable(),
      upstream_model: z.string().nullable(),
      endpoint: z.string(),
      streamed: z.boolean(),
      status: z.enum(["completed", "failed"]),
      http_status: z.number().int(),
      tokens_prompt: z.number().int(),
      tokens_completion: z.number().int(),
      tokens_cached: z.number().int(),
      tokens_cache_write: z.number().int(),
      tokens_reasoning: z.number().int(),
      usage_estimated: z.boolean(),
      priced: z.boolean(),
      total_cost: z.number().openapi({ description: "USD" }),
      latency_ms: z.number().int().nullable(),
      time_to_first_token_ms: z.number().int().nullable(),
      finish_reason: z.string().nullable(),
      error_message: z.string().nullable(),
      created_at: z.string(),
    }),
  })
  .openapi("Generation");

export const generationRoute = createRoute({
  method: "get",
  path: "/v1/generation",
  tags: ["Inference"],
  summary: "One of your requests: tokens, cost, latency (OpenRouter-style)",
  description:
    "Rows are written just after the response ends, so a lookup right after a request may briefly answer 404.",
  security: userKeySecurity,
  request: {
    query: z.object({
      id: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: "id", in: "query" } }),
    }),
  },
  responses: {
    200: { description: "The request's record", content: { "application/json": { schema: GenerationSchema } } },
    ...errorResponses(400, 401, 403, 404, 500),
  },
});
