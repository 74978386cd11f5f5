import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../common.schemas";

export const BreakerSchema = z
  .object({
    name: z.string().openapi({ example: "provider:groq" }),
    state: z.enum(["closed", "open", "half_open"]),
    failure_count: z.number().int().openapi({ description: "Consecutive failures" }),
    success_count: z.number().int(),
    failure_rate: z.number().openapi({ description: "Failures / requests over the rolling window" }),
    recent_requests: z.number().int(),
    rate_limited_requests: z.number().int().openapi({ description: "Upstream 429s in the window (not failures)" }),
    opened_at: z.string().nullable(),
    seconds_until_retry: z.number().int(),
    last_failure_reason: z.string().nullable(),
  })
  .openapi("CircuitBreaker");

const providerParam = z.object({
  provider: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a provider slug")
    .openapi({ param: { name: "provider", in: "path" }, example: "groq" }),
});

export const listBreakersRoute = createRoute({
  method: "get",
  path: "/circuit-breakers",
  tags: ["Circuit breakers"],
  summary: "Every breaker: per provider (provider:<slug>) and per provider+model (model:<slug>/<model>)",
  responses: {
    200: {
      description: "All known breakers",
      content: {
        "application/json": { schema: z.object({ breakers: z.array(BreakerSchema), total: z.number().int() }) },
      },
    },
    ...errorResponses(500),
  },
});

export const getBreakerRoute = createRoute({
  method: "get",
  path: "/circuit-breakers/{provider}",
  tags: ["Circuit breakers"],
  summary: "A provider's breaker (created closed if unknown)",
  request: { params: providerParam },
  responses: {
    200: { description: "The breaker", content: { "application/json": { schema: BreakerSchema } } },
    ...errorResponses(400, 500),
  },
});

const ResetSchema = z.object({ reset: z.array(z.string()), message: z.string() }).openapi("BreakerReset");

export const resetBreakerRoute = createRoute({
  method: "post",
  path: "/circuit-breakers/{provider}/reset",
  tags: ["Circuit breakers"],
  summary: "Close a provider's breaker and its per-model breakers (admin)",
  security: [{ bearerAuth: [] }],
  request: { params: providerParam },
  responses: {
    200: { description: "Reset", content: { "application/json": { schema: ResetSchema } } },
    ...errorResponses(400, 401, 403, 404, 500),
  },
});

export const resetAllBreakersRoute = createRoute({
  method: "post",
  path: "/circuit-breakers/reset-all",
  tags: ["Circuit breakers"],
  summary: "Close every breaker (admin)",
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: "Reset", content: { "application/json": { schema: ResetSchema } } },
    ...errorResponses(401, 403, 500),
  },
});
