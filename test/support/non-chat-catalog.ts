// Catalog rows for the non-chat endpoints' tests: priceModel (catalog.ts) plus what it does not set,
// the per-image price and the output modalities, and the isolate's cache of both.
import { sql } from "drizzle-orm";
import { clearModelTraits } from "../../src/gateway/non-chat/catalog-traits";
import { execute } from "./accounts";
import { priceModel, type TestPrices } from "./catalog";

export interface NonChatPrices extends TestPrices {
  /** USD per generated image. */
  image?: string | null;
  outputModalities?: string[];
}

export async function catalogModel(provider: string, upstreamModel: string, prices: NonChatPrices): Promise<void> {
  await priceModel(provider, upstreamModel, prices);
  const outputs = `{${(prices.outputModalities ?? []).join(",")}}`;
  await execute(sql`
    update models set price_image = ${prices.image ?? null}, output_modalities = ${outputs}::text[]
    where provider_model_id = ${upstreamModel}
      and provider_id = (select id from providers where slug = ${provider})
  `);
  clearModelTraits();
}
