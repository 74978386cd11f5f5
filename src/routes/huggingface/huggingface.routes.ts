import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../common.schemas";

export const HubModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    pipeline_tag: z.string().nullable(),
    downloads: z.number(),
    likes: z.number(),
    created_at: z.string(),
    author: z.string().nullable(),
    tags: z.array(z.string()),
    library_name: z.string().nullable(),
  })
  .openapi("HuggingFaceModel");

export const authorModelsRoute = createRoute({
  method: "get",
  path: "/v1/huggingface/author/{author}/models",
  tags: ["Models"],
  summary: "Public Hugging Face models of an author or organisation, most downloaded first",
  description:
    "A live Hub query (not cached). Private and gated models are left out; an unknown author is an empty list.",
  request: {
    params: z.object({
      author: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, "must be a Hugging Face user or organisation name")
        .openapi({ example: "meta-llama" }),
    }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  },
  responses: {
    200: {
      description: "Models",
      content: {
        "application/json": {
          schema: z
            .object({ author: z.string(), models: z.array(HubModelSchema), count: z.number().int() })
            .openapi("HuggingFaceAuthorModels"),
        },
      },
    },
    ...errorResponses(400, 500, 502),
  },
});
