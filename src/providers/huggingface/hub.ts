// Hugging Face Hub reads behind the public and admin endpoints: an author's public models
// (`/v1/huggingface/author/{author}/models`, seed 001 #1688) and one model's raw info
// (`/admin/test-huggingface/{id}`, seed 001 #1606). Requests are built here and sent by the caller;
// the readers normalise exactly as the seed's Python did.

import { isRecord } from "../../lib/json";
import type { UpstreamRequest } from "../types";

const trimmed = (hubUrl: string) => hubUrl.replace(/\/+$/, "");

/** An author's models, most downloaded first, with their model-card metadata (for descriptions). */
export function buildAuthorModelsRequest(
  hubUrl: string,
  author: string,
  limit: number,
  token?: string,
): UpstreamRequest {
  const query = new URLSearchParams({
    author,
    limit: String(limit),
    sort: "downloads",
    direction: "-1",
    cardData: "true",
  });
  return {
    url: `${trimmed(hubUrl)}/api/models?${query}`,
    method: "GET",
    headers: { accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  };
}

/** One model as the author endpoint returns it (snake_case, as the seed's API did). */
export interface HubAuthorModel {
  id: string;
  name: string;
  description: string;
  pipeline_tag: string | null;
  downloads: number;
  likes: number;
  created_at: string;
  author: string;
  tags: string[];
  library_name: string | null;
}

/**
 * Python's `str.title()`, which the seed used: a cased character is upper-cased when it follows an
 * uncased one (a space, a digit) and lower-cased otherwise, so "70b" becomes "70B".
 */
function pythonTitle(value: string): string {
  let previousCased = false;
  let result = "";
  for (const char of value) {
    const cased = char.toLowerCase() !== char.toUpperCase();
    result += cased ? (previousCased ? char.toLowerCase() : char.toUpperCase()) : char;
    previousCased = cased;
  }
  return result;
}

/** "meta-llama/Llama-2-70b-chat-hf" → "Llama 2 70B Chat Hf": the last segment, words title-cased. */
export function displayNameFromRepoId(id: string): string {
  return pythonTitle((id.split("/").at(-1) ?? id).replace(/[-_]/g, " "));
}

const stringOr = <T>(value: unknown, fallback: T) => (typeof value === "string" ? value : fallback);
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);

function authorModel(item: Record<string, unknown>, author: string): HubAuthorModel | undefined {
  const id = item.id;
  if (typeof id !== "string" || !id.startsWith(`${author}/`)) return undefined;
  // Private and gated models are left out; `gated` is false or the gating mode ("auto", "manual").
  if (item.private || item.gated) return undefined;
  const cardData = isRecord(item.cardData) ? item.cardData : {};
  return {
    id,
    name: displayNameFromRepoId(id),
    description: stringOr(cardData.description, ""),
    pipeline_tag: stringOr(item.pipeline_tag, null),
    downloads: count(item.downloads),
    likes: count(item.likes),
    created_at: stringOr(item.createdAt, ""),
    author: id.slice(0, id.indexOf("/")),
    tags: Array.isArray(item.tags) ? item.tags.filter((tag): tag is string => typeof tag === "string") : [],
    library_name: stringOr(item.library_name, null),
  };
}

/** The Hub's answer (an array) as the author endpoint lists it: public models under `author/` only. */
export function parseAuthorModels(body: unknown, author: string): HubAuthorModel[] {
  if (!Array.isArray(body)) throw new TypeError("Hugging Face Hub model list is not an array");
  return body.filter(isRecord).flatMap((item) => authorModel(item, author) ?? []);
}

/** One model's info; each path segment is encoded but the slash between org and name is kept. */
export function buildModelInfoRequest(hubUrl: string, huggingFaceId: string): UpstreamRequest {
  const path = huggingFaceId.split("/").map(encodeURIComponent).join("/");
  return { url: `${trimmed(hubUrl)}/api/models/${path}`, method: "GET", headers: { accept: "application/json" } };
}

export interface HubAuthorData {
  has_author_data: boolean;
  author_data: Record<string, unknown> | null;
  author: string | null;
  extracted_author_data: {
    name: string | null;
    fullname: string | null;
    avatar_url: string | null;
    follower_count: number;
  };
}

/**
 * The author fields of a model-info answer, as `/admin/test-huggingface` reports them. The seed read
 * `author_data`; the Hub itself sends `authorData`, so that is read when `author_data` is absent
 * (otherwise the diagnostic could never show any author data).
 */
export function extractAuthorData(body: unknown): HubAuthorData {
  const info = isRecord(body) ? body : {};
  const raw = info.author_data ?? info.authorData;
  const authorData = isRecord(raw) ? raw : null;
  const fields = authorData ?? {};
  return {
    // Python truthiness: an empty object counts as no author data.
    has_author_data: authorData !== null && Object.keys(authorData).length > 0,
    author_data: authorData,
    author: stringOr(info.author, null),
    extracted_author_data: {
      name: stringOr(fields.name, null),
      fullname: stringOr(fields.fullname, null),
      avatar_url: stringOr(fields.avatarUrl, null),
      follower_count: count(fields.followerCount),
    },
  };
}
