import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, routingFields, userKeySecurity } from "../common.schemas";

const tokenIds = z.array(z.number().int().nonnegative()).min(1);

/** OpenAI's embeddings request. Unknown fields pass through to the provider. */
export const EmbeddingsRequestSchema = z
  .looseObject({
    model: z.string().trim().min(1).max(300).openapi({ example: "openai/text-embedding-3-small" }),
    input: z
      .union([
        z.string().min(1),
        z.array(z.string().min(1)).min(1).max(2048),
        tokenIds,
        z.array(tokenIds).min(1).max(2048),
      ])
      .openapi({ description: "Text, up to 2048 texts, token ids, or up to 2048 lists of token ids" }),
    encoding_format: z.enum(["float", "base64"]).optional(),
    dimensions: z.number().int().positive().max(65536).optional(),
    user: z.string().max(256).optional(),
    ...routingFields,
  })
  .openapi("EmbeddingsRequest");

export const EmbeddingsResponseSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({
        object: z.literal("embedding"),
        index: z.number().int(),
        embedding: z.union([z.array(z.number()), z.string()]),
      }),
    ),
    model: z.string(),
    usage: z.object({
      prompt_tokens: z.number().int(),
      total_tokens: z.number().int(),
      cost: z.number().openapi({ description: "USD charged for this request" }),
    }),
  })
  .openapi("EmbeddingsResponse");

export const embeddingsRoute = createRoute({
  method: "post",
  path: "/v1/embeddings",
  tags: ["Inference"],
  summary: "Create embeddings (OpenAI-compatible)",
  description:
    "Embeddings from every provider that serves them: OpenAI-compatible vendors (openai, openrouter, together, " +
    "fireworks, deepinfra, nebius, mistral, alibaba, vercel, cloudflare) as they are, and Gemini (`google/…`) " +
    "translated. Routed like chat completions (`<provider>/<model>`, `models` fallbacks, `provider`). Billed per " +
    "input token at the catalog's prompt price; `usage.cost` says what was charged. A provider that reports no " +
    "token count (Gemini) is billed on an estimate (4 characters per token). `encoding_format: base64` is honoured " +
    "for every provider.",
  security: userKeySecurity,
  request: { body: { required: true, content: { "application/json": { schema: EmbeddingsRequestSchema } } } },
  responses: {
    200: jsonContent(EmbeddingsResponseSchema, "One embedding per input, in input order"),
    ...errorResponses(400, 401, 402, 403, 404, 429, 500, 502, 503, 504),
  },
});
