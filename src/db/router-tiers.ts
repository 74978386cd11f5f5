// The model routers' tiers (router_tiers), their catalog prices, and the decisions log (router_decisions).
import { type SQL, sql } from "drizzle-orm";
import { type AnyDatabase, queryRows } from "./client";
import { routerTierTables } from "./schema";

export type RouterTierTable = (typeof routerTierTables)[number];

export interface RouterTierRow {
  id: number;
  router: RouterTierTable;
  tier: number;
  name: string;
  description: string | null;
  models: string[];
  isActive: boolean;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RouterTierPatch {
  models?: string[];
  isActive?: boolean;
  name?: string;
  description?: string | null;
}

/** `array[$1, $2, …]::text[]`: each element its own parameter (no array-literal quoting to get wrong). */
export function textArray(values: readonly string[]): SQL {
  if (values.length === 0) return sql`array[]::text[]`;
  return sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function tierOf(row: Record<string, unknown>): RouterTierRow {
  return {
    id: Number(row.id),
    // The table's check constraint admits only these tables.
    router: routerTierTables.find((table) => table === row.router) ?? "code",
    tier: Number(row.tier),
    name: String(row.name),
    description: row.description === null ? null : String(row.description),
    models: stringList(row.models),
    isActive: row.is_active === true,
    updatedBy: row.updated_by === null ? null : String(row.updated_by),
    createdAt: new Date(String(row.created_at)),
    updatedAt: new Date(String(row.updated_at)),
  };
}

// to_jsonb: both drivers parse json the same way (text[] parsing differs between them).
const columns = sql`id, router, tier, name, description, to_jsonb(models) as models, is_active, updated_by,
                    created_at, updated_at`;

export async function listRouterTiers(db: AnyDatabase, table?: RouterTierTable): Promise<RouterTierRow[]> {
  const where = table ? sql`where router = ${table}` : sql``;
  const rows = await queryRows(db, sql`select ${columns} from router_tiers ${where} order by router, tier`);
  return rows.map(tierOf);
}

/** The edited tier, or undefined when no tier has this id. */
export async function updateRouterTier(
  db: AnyDatabase,
  id: number,
  patch: RouterTierPatch,
  updatedBy: string,
): Promise<RouterTierRow | undefined> {
  const sets: SQL[] = [sql`updated_by = ${updatedBy}`, sql`updated_at = now()`];
  if (patch.models !== undefined) sets.push(sql`models = ${textArray(patch.models)}`);
  if (patch.isActive !== undefined) sets.push(sql`is_active = ${patch.isActive}`);
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.description !== undefined) sets.push(sql`description = ${patch.description}`);
  const [row] = await queryRows(
    db,
    sql`update router_tiers set ${sql.join(sets, sql`, `)} where id = ${id} returning ${columns}`,
  );
  return row ? tierOf(row) : undefined;
}

export interface ListedPrices {
  /** USD per token, as the catalog stores them. */
  prompt: string | null;
  completion: string | null;
}

/**
 * Catalog prices of model ids as clients write them: `<provider>/<model>` listed by that provider,
 * else the cheapest-prompt provider whose catalog lists the id as is (e.g. OpenRouter's).
 */
export async function listedPricesOf(db: AnyDatabase, ids: readonly string[]): Promise<Map<string, ListedPrices>> {
  const prices = new Map<string, ListedPrices>();
  if (ids.length === 0) return prices;
  const rows = await queryRows(
    db,
    sql`select distinct on (wanted.id) wanted.id, m.price_prompt::text as prompt, m.price_completion::text as completion
        from unnest(${textArray(ids)}) as wanted(id)
        join models m on m.is_active
        join providers p on p.id = m.provider_id
        where p.slug || '/' || m.provider_model_id = wanted.id or m.provider_model_id = wanted.id
        order by wanted.id, (p.slug || '/' || m.provider_model_id = wanted.id) desc, m.price_prompt asc nulls last`,
  );
  for (const row of rows) {
    prices.set(String(row.id), {
      prompt: row.prompt === null ? null : String(row.prompt),
      completion: row.completion === null ? null : String(row.completion),
    });
  }
  return prices;
}

export interface RouterDecisionRecord {
  requestId: string;
  routerModel: string;
  router: RouterTierTable;
  mode: string;
  category: string;
  complexity: string;
  confidence: number;
  tier: number;
  candidates: string[];
}

/** Once per request (a retried write is a no-op). */
export async function insertRouterDecision(db: AnyDatabase, record: RouterDecisionRecord): Promise<void> {
  await queryRows(
    db,
    sql`insert into router_decisions (request_id, router_model, router, mode, category, complexity, confidence, tier, candidates)
        values (${record.requestId}, ${record.routerModel}, ${record.router}, ${record.mode}, ${record.category},
                ${record.complexity}, ${record.confidence.toFixed(2)}, ${record.tier}, ${textArray(record.candidates)})
        on conflict (request_id) do nothing`,
  );
}
