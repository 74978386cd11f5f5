// Catalog lookups the inference path needs: a model's id and prices by provider slug + upstream id.
import { and, eq } from "drizzle-orm";
import type { Database } from "./client";
import { models, providers } from "./schema";

export interface CatalogPrices {
  modelId: number;
  prompt: string | null;
  completion: string | null;
  cacheRead: string | null;
  cacheWrite: string | null;
  request: string | null;
}

export async function findCatalogPrices(
  db: Database,
  providerSlug: string,
  providerModelId: string,
): Promise<CatalogPrices | undefined> {
  const [row] = await db
    .select({
      modelId: models.id,
      prompt: models.pricePrompt,
      completion: models.priceCompletion,
      cacheRead: models.priceCacheRead,
      cacheWrite: models.priceCacheWrite,
      request: models.priceRequest,
    })
    .from(models)
    .innerJoin(providers, eq(providers.id, models.providerId))
    .where(
      and(eq(providers.slug, providerSlug), eq(models.providerModelId, providerModelId), eq(models.isActive, true)),
    )
    .limit(1);
  return row;
}

/** Providers (active models only) that list `providerModelId`, for routing an unprefixed model id. */
export async function findProvidersOfModel(db: Database, providerModelId: string): Promise<string[]> {
  const rows = await db
    .select({ slug: providers.slug })
    .from(models)
    .innerJoin(providers, eq(providers.id, models.providerId))
    .where(and(eq(models.providerModelId, providerModelId), eq(models.isActive, true), eq(providers.isActive, true)));
  return rows.map((row) => row.slug);
}
