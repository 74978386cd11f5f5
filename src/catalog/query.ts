// Filtering, de-duplication and pagination over the catalog snapshot, shared by /v1/models,
// /catalog/models and the search API. `gateway` is where a model is served (a provider slug),
// `provider` is who made it (the developer), as in the seeds.
import type { CatalogEntry } from "../db/catalog-reads";
import { badRequest } from "../lib/errors";
import { parseDecimal } from "../lib/money";
import { providerIdFor } from "../providers/registry";

/** One model as listed: the entry of its preferred gateway, and every gateway that serves it. */
export interface CatalogListing extends CatalogEntry {
  gateways: string[];
}

/** `all`, a provider slug, or an alias (`hug` → `huggingface`); anything else is a 400. */
export function resolveGateway(value: string | undefined): string {
  const raw = (value ?? "all").trim().toLowerCase();
  if (raw === "" || raw === "all") return "all";
  const id = providerIdFor(raw);
  if (!id) throw badRequest(`Unknown gateway '${value}'`, "unknown_gateway", "gateway");
  return id;
}

/** Models with the same upstream id (case-insensitive) are one model served by several gateways. */
export const canonicalId = (entry: CatalogEntry) => entry.providerModelId.toLowerCase();

/** The maker's own API first, then a priced listing, then by gateway name: the listing a client should see. */
function preference(a: CatalogEntry, b: CatalogEntry): number {
  const own = Number(b.developer === b.gateway) - Number(a.developer === a.gateway);
  if (own !== 0) return own;
  const priced = Number(b.pricing.prompt !== null) - Number(a.pricing.prompt !== null);
  return priced !== 0 ? priced : a.gateway.localeCompare(b.gateway);
}

export interface ListFilter {
  gateway: string;
  developer?: string;
}

export function listCatalog(models: CatalogEntry[], filter: ListFilter): CatalogListing[] {
  const developer = filter.developer?.trim().toLowerCase();
  const matching = models.filter(
    (entry) =>
      (filter.gateway === "all" || entry.gateway === filter.gateway) &&
      (!developer || entry.developer?.toLowerCase() === developer),
  );
  if (filter.gateway !== "all") return matching.map((entry) => ({ ...entry, gateways: [entry.gateway] }));
  const groups = new Map<string, CatalogEntry[]>();
  for (const entry of matching) {
    const key = canonicalId(entry);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()].map((group) => {
    const [best] = group.sort(preference);
    return { ...(best as CatalogEntry), gateways: [...new Set(group.map((entry) => entry.gateway))].sort() };
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number | null;
}

/** `limit` absent: everything from `offset`; `limit` 0: no items, but the total. */
export function paginate<T>(items: T[], offset: number, limit: number | undefined): Page<T> {
  const end = limit === undefined ? undefined : offset + limit;
  return { items: items.slice(offset, end), total: items.length, offset, limit: limit ?? null };
}

export const capabilities = ["tools", "vision", "streaming"] as const;
export type Capability = (typeof capabilities)[number];

export interface SearchFilter extends ListFilter {
  text?: string;
  modality?: string;
  capability?: Capability;
  /** USD per million prompt tokens, a decimal string. */
  maxPromptPricePerMillion?: string;
  minContextLength?: number;
}

const PRICE_SCALE = 15;

function promptPriceWithin(entry: CatalogEntry, maxPerMillion: bigint): boolean {
  if (entry.pricing.prompt === null) return false;
  return parseDecimal(entry.pricing.prompt, PRICE_SCALE) * 1_000_000n <= maxPerMillion;
}

export function searchCatalog(models: CatalogEntry[], filter: SearchFilter): CatalogListing[] {
  const text = filter.text?.trim().toLowerCase();
  const modality = filter.modality?.trim().toLowerCase();
  const maxPrice =
    filter.maxPromptPricePerMillion === undefined
      ? undefined
      : parseDecimal(filter.maxPromptPricePerMillion, PRICE_SCALE);
  return listCatalog(models, filter).filter((entry) => {
    if (text) {
      const haystack = `${entry.providerModelId} ${entry.name} ${entry.description ?? ""}`.toLowerCase();
      if (!text.split(/\s+/).every((word) => haystack.includes(word))) return false;
    }
    if (modality && !entry.inputModalities.includes(modality) && !entry.outputModalities.includes(modality)) {
      return false;
    }
    if (filter.capability === "tools" && !entry.supportsTools) return false;
    if (filter.capability === "vision" && !entry.supportsVision) return false;
    if (filter.capability === "streaming" && !entry.supportsStreaming) return false;
    if (maxPrice !== undefined && !promptPriceWithin(entry, maxPrice)) return false;
    if (filter.minContextLength !== undefined && (entry.contextLength ?? 0) < filter.minContextLength) return false;
    return true;
  });
}

/** A model by `gateway/upstream-id`, else by upstream id alone (its preferred gateway). */
export function findModel(models: CatalogEntry[], id: string): CatalogListing | undefined {
  const slash = id.indexOf("/");
  if (slash > 0) {
    const gateway = providerIdFor(id.slice(0, slash));
    const upstream = id.slice(slash + 1);
    const exact = gateway && models.find((entry) => entry.gateway === gateway && entry.providerModelId === upstream);
    if (exact) {
      const gateways = models.filter((entry) => canonicalId(entry) === canonicalId(exact)).map((e) => e.gateway);
      return { ...exact, gateways: [...new Set(gateways)].sort() };
    }
  }
  const key = id.toLowerCase();
  return listCatalog(
    models.filter((entry) => entry.providerModelId.toLowerCase() === key),
    { gateway: "all" },
  )[0];
}

export interface GatewayCount {
  gateway: string;
  total: number;
  unique: number;
  duplicates: number;
}

/** Seed 002's table: per gateway, listings, distinct models and duplicates; and the same across all. */
export function gatewayCounts(models: CatalogEntry[]): { gateways: GatewayCount[]; all: GatewayCount } {
  const byGateway = new Map<string, Set<string>>();
  const totals = new Map<string, number>();
  for (const entry of models) {
    totals.set(entry.gateway, (totals.get(entry.gateway) ?? 0) + 1);
    const ids = byGateway.get(entry.gateway) ?? new Set<string>();
    ids.add(canonicalId(entry));
    byGateway.set(entry.gateway, ids);
  }
  const gateways = [...totals.entries()]
    .map(([gateway, total]) => {
      const unique = byGateway.get(gateway)?.size ?? 0;
      return { gateway, total, unique, duplicates: total - unique };
    })
    .sort((a, b) => b.total - a.total || a.gateway.localeCompare(b.gateway));
  const unique = new Set(models.map(canonicalId)).size;
  return { gateways, all: { gateway: "all", total: models.length, unique, duplicates: models.length - unique } };
}
