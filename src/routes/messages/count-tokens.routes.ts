import { createRoute, z } from "@hono/zod-openapi";
import { userKeySecurity } from "../common.schemas";
import { anthropicError, MessagesRequestSchema } from "./messages.routes";

/** Anthropic's count_tokens request: a Messages request without `max_tokens` (generation settings are ignored). */
export const CountTokensRequestSchema = MessagesRequestSchema.omit({ max_tokens: true }).openapi("CountTokensRequest");

export const CountTokensResponseSchema = z
  .looseObject({
    input_tokens: z.number().int().nonnegative(),
    estimated: z
      .boolean()
      .optional()
      .openapi({ description: "Present (true) when the count is the gateway's estimate, not the provider's own" }),
  })
  .openapi("CountTokensResponse");

export const countTokensRoute = createRoute({
  method: "post",
  path: "/v1/messages/count_tokens",
  tags: ["Inference"],
  summary: "Count a message's input tokens (Anthropic API)",
  description:
    "For Anthropic models, Anthropic's own count (`x-gateway-token-count: exact`). For every other provider, and " +
    'when Anthropic cannot answer just now, an estimate at 4 characters per token: `"estimated": true` in the body ' +
    "and `x-gateway-token-count: estimated`. Authenticated and rate limited like /v1/messages; not billed.",
  security: userKeySecurity,
  request: {
    headers: z.object({ "anthropic-version": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CountTokensRequestSchema } } },
  },
  responses: {
    200: {
      description: "The input token count",
      headers: z.object({ "x-gateway-token-count": z.enum(["exact", "estimated"]) }),
      content: { "application/json": { schema: CountTokensResponseSchema } },
    },
    400: anthropicError("Invalid request"),
    401: anthropicError("Missing or invalid API key"),
    403: anthropicError("Forbidden (IP, referrer, scope, model, expired trial)"),
    404: anthropicError("Unknown model"),
    429: anthropicError("Rate limited"),
    500: anthropicError("Internal error"),
  },
});
