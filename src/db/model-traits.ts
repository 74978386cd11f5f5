// What the non-chat endpoints need to know about a catalog model before calling it: what it outputs
// (an embedding model, an image model) and every price, the per-image one included. One statement,
// so it runs over either driver (SQL over HTTP on the hot path).
import { sql } from "drizzle-orm";
import { type AnyDatabase, queryRows } from "./client";

export interface CatalogModelTraits {
  modelId: number;
  /** As the catalog stores them: "text", "image", "embedding"...; empty when unknown. */
  outputModalities: string[];
  /** Exact USD decimals (per token, except `request` per request and `image` per generated image). */
  prompt: string | null;
  completion: string | null;
  cacheRead: string | null;
  cacheWrite: string | null;
  request: string | null;
  image: string | null;
}

const text = (value: unknown) => (typeof value === "string" ? value : null);

export async function findCatalogModelTraits(
  db: AnyDatabase,
  providerSlug: string,
  providerModelId: string,
): Promise<CatalogModelTraits | undefined> {
  const [row] = await queryRows(
    db,
    sql`select m.id, array_to_string(m.output_modalities, ',') as outputs,
               m.price_prompt::text as prompt, m.price_completion::text as completion,
               m.price_cache_read::text as cache_read, m.price_cache_write::text as cache_write,
               m.price_request::text as request, m.price_image::text as image
        from models m join providers p on p.id = m.provider_id
        where p.slug = ${providerSlug} and m.provider_model_id = ${providerModelId} and m.is_active
        limit 1`,
  );
  if (!row) return undefined;
  const outputs = text(row.outputs) ?? "";
  return {
    modelId: Number(row.id),
    outputModalities: outputs.length > 0 ? outputs.split(",") : [],
    prompt: text(row.prompt),
    completion: text(row.completion),
    cacheRead: text(row.cache_read),
    cacheWrite: text(row.cache_write),
    request: text(row.request),
    image: text(row.image),
  };
}
