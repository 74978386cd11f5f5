// Which providers' catalogs list an unprefixed model id (`meta-llama/llama-3.1-8b-instruct`),
// remembered per isolate for a minute so the warm path does not ask Postgres before the upstream
// call. A catalog sync in this isolate forgets it at once.
import { findProvidersOfModel } from "../db/models";
import { TtlCache } from "../lib/ttl-cache";
import type { InferenceContext } from "./context";

const TTL_MS = 60_000;
const providersByModel = new TtlCache<string[]>(20_000);

export async function catalogProvidersOf(ctx: InferenceContext, model: string): Promise<string[]> {
  const cached = providersByModel.get(model);
  if (cached) return cached;
  const slugs = await findProvidersOfModel(ctx.sql(), model);
  providersByModel.set(model, slugs, TTL_MS);
  return slugs;
}

export function clearCatalogRoutes(): void {
  providersByModel.clear();
}
