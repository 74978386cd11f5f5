// Hugging Face Inference Providers' model list. The router (router.huggingface.co/v1) serves any Hub
// model that some inference provider has live, so the list comes from the Hub API: text-generation
// models with at least one provider mapping, with their mappings expanded. The Hub paginates with a
// `Link: <next-url>; rel="next"` header; the cursor is that whole URL, and every page is followed
// (seed 002's bug was stopping after the first page of 100).

import { isRecord } from "../../lib/json";
import type { ListedModel, ModelPage, ProviderSettings, UpstreamRequest } from "../types";

export const defaultHubCatalogUrl = "https://huggingface.co/api/models";

/** The Hub's largest page size: fewer round trips for a list of a few thousand models. */
const pageSize = 1000;

/**
 * The first page is built from the catalog URL (`HUGGINGFACE_CATALOG_URL`, for tests and mirrors);
 * later pages are the Hub's own next links. A next link is only followed on the catalog's origin, so
 * a tampered or misconfigured Link header cannot send the API key anywhere else.
 */
export function buildHubModelListRequest(settings: ProviderSettings, cursor?: string): UpstreamRequest {
  const catalogUrl = (settings.catalogUrl ?? defaultHubCatalogUrl).replace(/\/+$/, "");
  let url = `${catalogUrl}?inference_provider=all&pipeline_tag=text-generation&expand[]=inferenceProviderMapping&limit=${pageSize}`;
  if (cursor !== undefined) {
    const origin = new URL(catalogUrl).origin;
    if (!URL.canParse(cursor) || new URL(cursor).origin !== origin) {
      throw new TypeError(`Hugging Face Hub next-page link ${cursor} is not on the catalog's origin ${origin}`);
    }
    url = cursor;
  }
  return {
    url,
    method: "GET",
    headers: { authorization: `Bearer ${settings.apiKey}`, accept: "application/json" },
  };
}

/** The `rel="next"` target of a Link header (RFC 8288: `<url>; rel="next", <url>; rel="prev"`). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const [, target, params] of header.matchAll(/<([^>]*)>([^,]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(params ?? "");
    const relations = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (target && relations.includes("next")) return target;
  }
  return undefined;
}

/**
 * True when some provider serves the model now. The Hub returns the mapping as an object keyed by
 * provider on model info, and as an array of `{provider, status, providerId, task}` on some list
 * responses; both are read.
 */
function hasLiveProvider(mapping: unknown): boolean {
  const entries = Array.isArray(mapping) ? mapping : isRecord(mapping) ? Object.values(mapping) : [];
  return entries.some((entry) => isRecord(entry) && entry.status === "live");
}

function listedModel(item: Record<string, unknown>): ListedModel | undefined {
  const id = item.id;
  if (typeof id !== "string" || id.length === 0 || !hasLiveProvider(item.inferenceProviderMapping)) return undefined;
  const slash = id.indexOf("/");
  return {
    id,
    name: id,
    huggingFaceId: id,
    developer: slash > 0 ? id.slice(0, slash).toLowerCase() : undefined,
  };
}

/** One page of the Hub's list (a JSON array); the next page's URL is in the Link header. */
export function parseHubModelList(body: unknown, headers: Headers): ModelPage {
  if (!Array.isArray(body)) throw new TypeError("Hugging Face Hub model list is not an array");
  const models = body.filter(isRecord).flatMap((item) => listedModel(item) ?? []);
  return { models, nextCursor: nextLink(headers.get("link")) };
}
