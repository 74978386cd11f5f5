// Puts a model with prices into the catalog (as a catalog sync would), for billing tests.
import { sql } from "drizzle-orm";
import { clearPriceCache } from "../../src/gateway/settle";
import { execute } from "./accounts";

export interface TestPrices {
  prompt: string | null;
  completion: string | null;
  cacheRead?: string | null;
  cacheWrite?: string | null;
  request?: string | null;
}

export async function priceModel(provider: string, upstreamModel: string, prices: TestPrices): Promise<void> {
  await execute(
    sql`insert into providers (slug, name) values (${provider}, ${provider}) on conflict (slug) do nothing`,
  );
  await execute(sql`
    insert into models (provider_id, provider_model_id, model_name, price_prompt, price_completion, price_cache_read,
                        price_cache_write, price_request)
    select id, ${upstreamModel}, ${upstreamModel}, ${prices.prompt}, ${prices.completion}, ${prices.cacheRead ?? null},
           ${prices.cacheWrite ?? null}, ${prices.request ?? null}
    from providers where slug = ${provider}
    on conflict (provider_id, provider_model_id) do update
      set price_prompt = excluded.price_prompt, price_completion = excluded.price_completion,
          price_cache_read = excluded.price_cache_read, price_cache_write = excluded.price_cache_write,
          price_request = excluded.price_request
  `);
  clearPriceCache();
}
