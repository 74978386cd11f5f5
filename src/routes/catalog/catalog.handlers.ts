import type { RouteHandler } from "@hono/zod-openapi";
import { type CatalogListing, listCatalog, paginate, resolveGateway } from "../../catalog/query";
import type { AppEnv } from "../../env";
import { snapshotOf } from "../models/models.handlers";
import type { catalogModelsRoute } from "./catalog.routes";

function presentEntry(entry: CatalogListing, includeHuggingFace: boolean) {
  const base = {
    id: entry.providerModelId,
    model: `${entry.gateway}/${entry.providerModelId}`,
    name: entry.name,
    description: entry.description,
    context_length: entry.contextLength,
    pricing: { prompt: entry.pricing.prompt, completion: entry.pricing.completion },
    architecture: { input_modalities: entry.inputModalities },
    supported_parameters: entry.supportedParameters,
    provider_slug: entry.developer,
    gateway: entry.gateway,
    gateways: entry.gateways,
  };
  if (!includeHuggingFace) return base;
  return {
    ...base,
    hugging_face_id: entry.huggingFaceId,
    huggingface_url: entry.huggingFaceId ? `https://huggingface.co/${entry.huggingFaceId}` : null,
  };
}

export const catalogModels: RouteHandler<typeof catalogModelsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const gateway = resolveGateway(query.gateway);
  const { models } = await snapshotOf(c);
  const page = paginate(listCatalog(models, { gateway, developer: query.provider }), query.offset, query.limit);
  const data = page.items.map((entry) => presentEntry(entry, query.include_huggingface === "true"));
  return c.json(
    {
      data,
      total: page.total,
      returned: data.length,
      offset: page.offset,
      limit: page.limit,
      gateway,
      timestamp: new Date().toISOString(),
    },
    200,
  );
};
