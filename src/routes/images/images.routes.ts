import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, routingFields, userKeySecurity } from "../common.schemas";

/** OpenAI's image generation request. Unknown fields (a vendor's own options) pass through to the provider. */
export const ImagesRequestSchema = z
  .looseObject({
    model: z.string().trim().min(1).max(300).openapi({ example: "openai/dall-e-3" }),
    prompt: z.string().min(1).max(32000),
    n: z.number().int().min(1).max(10).optional(),
    size: z
      .string()
      .regex(/^(auto|\d{2,5}x\d{2,5})$/, "expected 'auto' or WIDTHxHEIGHT, e.g. 1024x1024")
      .optional(),
    quality: z.string().min(1).max(20).optional().openapi({ example: "standard" }),
    response_format: z.enum(["url", "b64_json"]).optional(),
    style: z.enum(["vivid", "natural"]).optional(),
    user: z.string().max(256).optional(),
    stream: z.boolean().optional().openapi({ description: "Not supported: must be absent or false" }),
    ...routingFields,
  })
  .openapi("ImagesRequest");

export const ImagesResponseSchema = z
  .looseObject({
    created: z.number().int(),
    data: z.array(
      z.looseObject({
        url: z.string().optional(),
        b64_json: z.string().optional(),
        revised_prompt: z.string().optional(),
      }),
    ),
    usage: z.looseObject({
      images: z.number().int().openapi({ description: "Images generated (and billed)" }),
      cost: z.number().openapi({ description: "USD charged for this request" }),
      input_tokens: z.number().int().optional(),
      output_tokens: z.number().int().optional(),
      total_tokens: z.number().int().optional(),
    }),
  })
  .openapi("ImagesResponse");

export const imagesRoute = createRoute({
  method: "post",
  path: "/v1/images/generations",
  tags: ["Inference"],
  summary: "Generate images (OpenAI-compatible)",
  description:
    "Image generation on every provider with OpenAI's images endpoint: openai, xai, together, deepinfra, nebius and " +
    "vercel (Vercel AI Gateway: FLUX, Imagen…). Routed like chat completions. Priced per image from the catalog " +
    "(`price_image` × the images returned); `usage.cost` says what was charged and `usage.images` how many. A model " +
    "without an image price is served free and logged as unpriced. Fields a vendor adds (e.g. `aspect_ratio`) pass " +
    "through; fields it rejects come back as its 400.",
  security: userKeySecurity,
  request: { body: { required: true, content: { "application/json": { schema: ImagesRequestSchema } } } },
  responses: {
    200: jsonContent(ImagesResponseSchema, "The generated images, as URLs or base64"),
    ...errorResponses(400, 401, 402, 403, 404, 429, 500, 502, 503, 504),
  },
});
