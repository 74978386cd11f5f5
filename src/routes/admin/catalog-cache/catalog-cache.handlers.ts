import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { currentSnapshot, invalidateCatalog } from "../../../catalog/cache";
import type { CatalogEntry } from "../../../db/catalog-reads";
import type { AppEnv } from "../../../env";
import { badRequest, notFound } from "../../../lib/errors";
import { isRecord } from "../../../lib/json";
import { redisClient } from "../../../lib/redis";
import { buildModelInfoRequest, extractAuthorData } from "../../../providers/huggingface/hub";
import { fetchFromHub } from "../../huggingface/huggingface.handlers";
import { snapshotOf } from "../../models/models.handlers";
import type {
  cacheStatusRoute,
  debugModelsRoute,
  huggingFaceCacheStatusRoute,
  refreshHuggingFaceCacheRoute,
  refreshProvidersRoute,
} from "./catalog-cache.routes";

const now = () => new Date().toISOString();
const ageSeconds = (loadedAt: number) => (Date.now() - loadedAt) / 1000;

export const cacheStatus: RouteHandler<typeof cacheStatusRoute, AppEnv> = (c) => {
  const snapshot = currentSnapshot();
  const ttl = c.var.config.CATALOG_CACHE_TTL_SECONDS;
  const age = snapshot ? ageSeconds(snapshot.loadedAt) : null;
  return c.json(
    {
      status: "success" as const,
      cache_info: {
        has_data: snapshot !== undefined,
        cache_age_seconds: age,
        ttl_seconds: ttl,
        is_valid: age !== null && age < ttl,
        total_cached_providers: snapshot?.providers.length ?? 0,
      },
      timestamp: now(),
    },
    200,
  );
};

export const huggingFaceCacheStatus: RouteHandler<typeof huggingFaceCacheStatusRoute, AppEnv> = (c) => {
  const snapshot = currentSnapshot();
  const age = snapshot ? ageSeconds(snapshot.loadedAt) : null;
  const ids = (snapshot?.models ?? []).filter((model) => model.gateway === "huggingface").map((m) => m.providerModelId);
  return c.json(
    {
      huggingface_cache: {
        age_seconds: age,
        is_valid: age !== null && age < c.var.config.CATALOG_CACHE_TTL_SECONDS,
        total_cached_models: ids.length,
        cached_model_ids: ids,
      },
      timestamp: now(),
    },
    200,
  );
};

export const refreshProviders: RouteHandler<typeof refreshProvidersRoute, AppEnv> = async (c) => {
  invalidateCatalog();
  const snapshot = await snapshotOf(c);
  return c.json(
    {
      status: "success" as const,
      message: "Provider cache refreshed successfully",
      total_providers: snapshot.providers.length,
      timestamp: now(),
    },
    200,
  );
};

export const refreshHuggingFaceCache: RouteHandler<typeof refreshHuggingFaceCacheRoute, AppEnv> = (c) => {
  invalidateCatalog();
  return c.json({ message: "Hugging Face cache cleared successfully", timestamp: now() }, 200);
};

function sampleModel(entry: CatalogEntry): Record<string, unknown> {
  return {
    id: `${entry.gateway}/${entry.providerModelId}`,
    provider_model_id: entry.providerModelId,
    gateway: entry.gateway,
    name: entry.name,
    developer: entry.developer,
    pricing: entry.pricing,
  };
}

export const debugModels: RouteHandler<typeof debugModelsRoute, AppEnv> = async (c) => {
  const snapshot = await snapshotOf(c);
  const loadedAt = new Date(snapshot.loadedAt).toISOString();
  const age = ageSeconds(snapshot.loadedAt);
  const providerRows = snapshot.providers.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    is_active: row.isActive,
    health: row.health,
    last_synced_at: row.lastSyncedAt?.toISOString() ?? null,
  }));
  // As the seed does: the model id's first segment should be a provider slug.
  const matching = snapshot.models.slice(0, 2).map((entry) => {
    const modelId = `${entry.gateway}/${entry.providerModelId}`;
    const slug = modelId.split("/")[0] ?? null;
    const provider = providerRows.find((row) => row.slug === slug) ?? null;
    return { model_id: modelId, provider_slug: slug, found_provider: provider !== null, provider_data: provider };
  });
  return c.json(
    {
      models_cache: {
        total_models: snapshot.models.length,
        sample_models: snapshot.models.slice(0, 3).map(sampleModel),
        cache_timestamp: loadedAt,
        cache_age_seconds: age,
      },
      providers_cache: {
        total_providers: providerRows.length,
        sample_providers: providerRows.slice(0, 3),
        cache_timestamp: loadedAt,
        cache_age_seconds: age,
      },
      provider_matching_test: matching,
      timestamp: now(),
    },
    200,
  );
};

const HUB_CACHE_SECONDS = 3600;
const HUGGING_FACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export async function testHuggingFace(c: Context<AppEnv>) {
  const id = c.req.param("hugging_face_id") ?? "";
  if (!HUGGING_FACE_ID.test(id)) {
    throw badRequest("hugging_face_id must look like author/model-name", "invalid_request", "hugging_face_id");
  }
  const redis = redisClient(c.var.config);
  const cacheKey = `huggingface:model:${id}`;
  let raw: unknown = null;
  let cached = false;
  try {
    raw = redis ? await redis.get<Record<string, unknown>>(cacheKey) : null;
    cached = raw !== null;
  } catch {
    raw = null; // A cache outage only costs a Hub call.
  }
  if (!cached) {
    const { status, body } = await fetchFromHub(buildModelInfoRequest(c.var.config.HUGGINGFACE_HUB_URL, id));
    if (status === 404) throw notFound(`Hugging Face model '${id}' not found`, "model_not_found");
    raw = body;
    if (redis && isRecord(body)) {
      c.var.defer(redis.set(cacheKey, body, { ex: HUB_CACHE_SECONDS }).catch(() => undefined));
    }
  }
  const record = isRecord(raw) ? raw : {};
  return c.json(
    {
      hugging_face_id: id,
      raw_response: record,
      author_data_extracted: extractAuthorData(record),
      cached,
      timestamp: now(),
    },
    200,
  );
}
