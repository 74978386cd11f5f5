import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../common.schemas";
import { ListQuerySchema } from "../models/models.schemas";

const CatalogEntrySchema = z
  .object({
    id: z.string().openapi({ description: "The upstream model id", example: "anthropic/claude-haiku-4.5" }),
    model: z.string().openapi({ description: "The id to send as `model` (gateway/upstream-id)" }),
    name: z.string(),
    description: z.string().nullable(),
    context_length: z.number().int().nullable(),
    pricing: z.object({
      prompt: z.string().nullable().openapi({ description: "USD per prompt token; null when unknown" }),
      completion: z.string().nullable(),
    }),
    architecture: z.object({ input_modalities: z.array(z.string()) }),
    supported_parameters: z.array(z.string()),
    provider_slug: z.string().nullable().openapi({ description: "Who made the model" }),
    gateway: z.string(),
    gateways: z.array(z.string()),
    hugging_face_id: z.string().nullable().optional().openapi({ description: "With include_huggingface=true" }),
    huggingface_url: z.string().nullable().optional(),
  })
  .openapi("CatalogEntry");

export const catalogModelsRoute = createRoute({
  method: "get",
  path: "/catalog/models",
  tags: ["Models"],
  summary: "The model catalog in the frontend's shape (seed 000)",
  description: "`total` counts every match; `returned` the page. `gateway=all` counts unique models across gateways.",
  request: {
    query: ListQuerySchema.extend({
      include_huggingface: z
        .enum(["true", "false"])
        .default("true")
        .openapi({ description: "Include each model's Hugging Face id and page" }),
    }),
  },
  responses: {
    200: {
      description: "Models",
      content: {
        "application/json": {
          schema: z
            .object({
              data: z.array(CatalogEntrySchema),
              total: z.number().int(),
              returned: z.number().int(),
              offset: z.number().int(),
              limit: z.number().int().nullable(),
              gateway: z.string(),
              timestamp: z.string(),
            })
            .openapi("CatalogModels"),
        },
      },
    },
    ...errorResponses(400, 500, 503),
  },
});
