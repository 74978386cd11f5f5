// Anthropic's model list: `GET /v1/models?limit=&after_id=`, paginated with has_more / last_id.

import { isRecord } from "../../lib/json";
import type { ListedModel, ModelPage, ProviderSettings, UpstreamRequest } from "../types";
import { anthropicVersion } from "./version";

/** Anthropic's largest page size. */
const pageSize = 1000;

export function buildAnthropicModelListRequest(settings: ProviderSettings, cursor?: string): UpstreamRequest {
  const url = new URL(`${settings.baseUrl.replace(/\/+$/, "")}/models`);
  url.searchParams.set("limit", String(pageSize));
  if (cursor) url.searchParams.set("after_id", cursor);
  return {
    url: url.toString(),
    method: "GET",
    headers: { "x-api-key": settings.apiKey, "anthropic-version": anthropicVersion, accept: "application/json" },
  };
}

/** One page; the cursor is in the body, so the headers are not needed. */
export function parseAnthropicModelList(body: unknown, _headers?: Headers): ModelPage {
  if (!isRecord(body) || !Array.isArray(body.data)) throw new TypeError("Anthropic model list has no data array");
  // Anthropic lists only its own models, so the developer is always Anthropic.
  const models: ListedModel[] = body.data.filter(isRecord).flatMap((entry) => {
    if (typeof entry.id !== "string") return [];
    const name = typeof entry.display_name === "string" ? entry.display_name : undefined;
    return [{ id: entry.id, name, developer: "anthropic" }];
  });
  const nextCursor = body.has_more === true && typeof body.last_id === "string" ? body.last_id : undefined;
  return { models, nextCursor };
}
