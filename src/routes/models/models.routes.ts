import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../common.schemas";
import {
  CatalogModelSchema,
  GatewaySummarySchema,
  LatencyQuerySchema,
  ListQuerySchema,
  LowLatencySchema,
  ModelListSchema,
  ProviderListSchema,
  SearchQuerySchema,
  TrendingSchema,
  WindowQuerySchema,
} from "./models.schemas";

export const listModelsRoute = createRoute({
  method: "get",
  path: "/v1/models",
  tags: ["Models"],
  summary: "List the model catalog (OpenAI list shape, with prices and capabilities)",
  description:
    "Served from a cache that a catalog sync invalidates. `gateway=all` (the default) lists each model once, from its preferred gateway, with every gateway that serves it.",
  request: { query: ListQuerySchema },
  responses: { 200: jsonContent(ModelListSchema, "Models"), ...errorResponses(400, 500, 503) },
});

export const searchModelsRoute = createRoute({
  method: "get",
  path: "/v1/models/search",
  tags: ["Models"],
  summary: "Search the catalog by text, modality, capability, price, context length and developer",
  request: { query: SearchQuerySchema },
  responses: { 200: jsonContent(ModelListSchema, "Matching models"), ...errorResponses(400, 500, 503) },
});

export const trendingModelsRoute = createRoute({
  method: "get",
  path: "/v1/models/trending",
  tags: ["Models"],
  summary: "Models by completed requests in the window (from the request log)",
  request: { query: WindowQuerySchema },
  responses: { 200: jsonContent(TrendingSchema, "Trending models"), ...errorResponses(400, 500, 503) },
});

export const lowLatencyModelsRoute = createRoute({
  method: "get",
  path: "/v1/models/low-latency",
  tags: ["Models"],
  summary: "Fastest models by measured median time to first token (else total latency)",
  request: { query: LatencyQuerySchema },
  responses: { 200: jsonContent(LowLatencySchema, "Fast models"), ...errorResponses(400, 500, 503) },
});

/** Documented here; served by a plain route because model ids contain slashes. */
export const getModelDoc = {
  method: "get" as const,
  path: "/v1/models/{id}",
  tags: ["Models"],
  summary: "One model, by gateway/upstream-id or by upstream id alone",
  request: {
    params: z.object({
      id: z
        .string()
        .openapi({ description: "e.g. openrouter/qwen/qwen3-max-thinking or gpt-4o (may contain slashes)" }),
    }),
  },
  responses: { 200: jsonContent(CatalogModelSchema, "The model"), ...errorResponses(404, 500, 503) },
};

export const listProvidersRoute = createRoute({
  method: "get",
  path: "/v1/provider",
  tags: ["Models"],
  summary: "Every provider the gateway knows, whether it is configured, and its catalog size",
  responses: { 200: jsonContent(ProviderListSchema, "Providers"), ...errorResponses(500, 503) },
});

export const gatewaySummaryRoute = createRoute({
  method: "get",
  path: "/v1/gateways/summary",
  tags: ["Models"],
  summary: "Per gateway: listings, unique models, duplicates, retired models; and across all gateways",
  responses: { 200: jsonContent(GatewaySummarySchema, "Summary"), ...errorResponses(500, 503) },
});
