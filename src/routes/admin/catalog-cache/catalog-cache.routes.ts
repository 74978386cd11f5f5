import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";

const cacheNote = "The catalog cache is per isolate: this reports (or clears) the isolate that served the call.";

export const cacheStatusRoute = createRoute({
  method: "get",
  path: "/admin/cache-status",
  tags: ["Admin: catalog"],
  summary: "The provider catalog cache: data present, age, TTL, validity, provider count",
  description: cacheNote,
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z.object({
        status: z.literal("success"),
        cache_info: z.object({
          has_data: z.boolean(),
          cache_age_seconds: z.number().nullable(),
          ttl_seconds: z.number().int(),
          is_valid: z.boolean(),
          total_cached_providers: z.number().int(),
        }),
        timestamp: z.string(),
      }),
      "Cache status",
    ),
    ...errorResponses(401, 403, 500),
  },
});

export const huggingFaceCacheStatusRoute = createRoute({
  method: "get",
  path: "/admin/huggingface-cache-status",
  tags: ["Admin: catalog"],
  summary: "The cached Hugging Face models: age, validity, count and ids",
  description: cacheNote,
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z.object({
        huggingface_cache: z.object({
          age_seconds: z.number().nullable(),
          is_valid: z.boolean(),
          total_cached_models: z.number().int(),
          cached_model_ids: z.array(z.string()),
        }),
        timestamp: z.string(),
      }),
      "Cache status",
    ),
    ...errorResponses(401, 403, 500),
  },
});

export const refreshProvidersRoute = createRoute({
  method: "post",
  path: "/admin/refresh-providers",
  tags: ["Admin: catalog"],
  summary: "Drop the catalog cache and load it again now",
  description: cacheNote,
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z.object({
        status: z.literal("success"),
        message: z.string(),
        total_providers: z.number().int(),
        timestamp: z.string(),
      }),
      "Refreshed",
    ),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const refreshHuggingFaceCacheRoute = createRoute({
  method: "post",
  path: "/admin/refresh-huggingface-cache",
  tags: ["Admin: catalog"],
  summary: "Drop the cached catalog; the next read loads it again",
  description: cacheNote,
  security: adminSecurity,
  responses: {
    200: jsonContent(z.object({ message: z.string(), timestamp: z.string() }), "Cleared"),
    ...errorResponses(401, 403, 500),
  },
});

export const debugModelsRoute = createRoute({
  method: "get",
  path: "/admin/debug-models",
  tags: ["Admin: catalog"],
  summary: "Samples of the cached models and providers, and a model → provider slug match test",
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z.object({
        models_cache: z.object({
          total_models: z.number().int(),
          sample_models: z.array(z.record(z.string(), z.unknown())),
          cache_timestamp: z.string().nullable(),
          cache_age_seconds: z.number().nullable(),
        }),
        providers_cache: z.object({
          total_providers: z.number().int(),
          sample_providers: z.array(z.record(z.string(), z.unknown())),
          cache_timestamp: z.string().nullable(),
          cache_age_seconds: z.number().nullable(),
        }),
        provider_matching_test: z.array(
          z.object({
            model_id: z.string(),
            provider_slug: z.string().nullable(),
            found_provider: z.boolean(),
            provider_data: z.record(z.string(), z.unknown()).nullable(),
          }),
        ),
        timestamp: z.string(),
      }),
      "Debug information",
    ),
    ...errorResponses(401, 403, 500, 503),
  },
});

/** Documented here; served by a plain route because Hugging Face ids contain a slash. */
export const testHuggingFaceDoc = {
  method: "get" as const,
  path: "/admin/test-huggingface/{hugging_face_id}",
  tags: ["Admin: catalog"],
  summary: "Fetch a model's raw Hub record (cached in Redis for an hour) and its author data",
  security: adminSecurity,
  request: {
    params: z.object({ hugging_face_id: z.string().openapi({ example: "meta-llama/Llama-3.1-8B-Instruct" }) }),
  },
  responses: {
    200: jsonContent(
      z.object({
        hugging_face_id: z.string(),
        raw_response: z.record(z.string(), z.unknown()),
        author_data_extracted: z.record(z.string(), z.unknown()),
        cached: z.boolean(),
        timestamp: z.string(),
      }),
      "The Hub record",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 502),
  },
};
