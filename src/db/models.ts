// Catalog lookups the inference path needs: a model's id and prices by provider slug + upstream id.
// One statement each, so they run over either driver (SQL over HTTP on the hot path).
import { sql } from "drizzle-orm";
import { type AnyDatabase, queryRows } from "./client";

export interface CatalogPrices {
  modelId: number;
  prompt: string | null;
  completion: string | null;
  cacheRead: string | null;
  cacheWrite: string | null;
  request: string | null;
}

const text = (value: unknown) => (typeof value === "string" ? value : null);

export async function findCatalogPrices(
  db: AnyDatabase,
  providerSlug: string,
  providerModelId: string,
): Promise<CatalogPrices | undefined> {
  const [row] = await queryRows(
    db,
    sql`select m.id, m.price_prompt::text as prompt, m.price_completion::text as completion,
               m.price_cache_read::text as cache_read, m.price_cache_write::text as cache_write,
               m.price_request::text as request
        from models m join providers p on p.id = m.provider_id
        where p.slug = ${providerSlug} and m.provider_model_id = ${providerModelId} and m.is_active
        limit 1`,
  );
  if (!row) return undefined;
  return {
    modelId: Number(row.id),
    prompt: text(row.prompt),
    completion: text(row.completion),
    cacheRead: text(row.cache_read),
    cacheWrite: text(row.cache_write),
    request: text(row.request),
  };
}

/** Providers (active models only) that list `providerModelId`, for routing an unprefixed model id. */
export async function findProvidersOfModel(db: AnyDatabase, providerModelId: string): Promise<string[]> {
  const rows = await queryRows(
    db,
    sql`select p.slug from models m join providers p on p.id = m.provider_id
        where m.provider_model_id = ${providerModelId} and m.is_active and p.is_active`,
  );
  return rows.map((row) => String(row.slug));
}
