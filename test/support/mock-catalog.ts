// Model lists for the mock upstream, each in its provider's own pagination style, from the recorded
// lists in ../shared/fixtures/upstream/catalog/:
// - GET /<vendor>/v1/models: the recorded OpenAI-style list, whole (these vendors do not paginate).
// - GET /anthropic/v1/models?limit&after_id: the recorded list in pages (has_more / first_id / last_id).
// - GET /google/v1/models?pageSize&pageToken: the recorded list in pages (nextPageToken).
// - GET /huggingface-hub/api/models?limit[&cursor]: a Hub listing with `Link: <next>; rel="next"`.
//   No multi-page Hub listing was ever recorded, so its entries are the recorded model-info item
//   (catalog/huggingface-model-info-inference-providers.json) followed by one entry per model id of
//   the recorded models.dev catalog (1,949 ids: a list of well over 1,000 that must arrive whole), each
//   with the recorded item's inferenceProviderMapping.
// - GET /huggingface-hub/api/models?author=: that author's entries with the Hub's list fields.
// - GET /huggingface-hub/api/models/<org>/<name>: the recorded model-info item, else 404.
// - GET /models.dev/api.json: the recorded models.dev catalog.
// A scenario (POST /__scenario) shrinks pages, drops models, fails a page, or maps catalog model ids
// to recorded chat replies; DELETE resets it.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface CatalogScenario {
  /** Model ids a provider stops listing. */
  drop?: Record<string, string[]>;
  /** The 1-based page a provider answers with HTTP 500. */
  failPage?: Record<string, number>;
  /** A provider's page size cap (the provider may return fewer than asked, as real APIs do). */
  pageSize?: Record<string, number>;
  /** Chat completions for these (catalog) model ids replay this fixture (path without extension). */
  replies?: Record<string, string>;
}

const defaultPageSize: Record<string, number> = { anthropic: 3, google: 20, huggingface: 1000 };

const recordedLists: Record<string, string> = {
  openai: "catalog/openai-models.json",
  openrouter: "catalog/openrouter-models.json",
  mistral: "catalog/mistral-models.json",
  deepseek: "catalog/deepseek-models.json",
  xai: "catalog/xai-models.json",
  cerebras: "catalog/cerebras-models.json",
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function readJson<T>(root: string, path: string): T {
  return JSON.parse(readFileSync(`${root}${path}`, "utf8")) as T;
}

type Entry = Record<string, unknown> & { id: string };

function hubListing(root: string): Entry[] {
  const recorded = readJson<Entry>(root, "catalog/huggingface-model-info-inference-providers.json");
  const modelsDev = readJson<Record<string, { models?: Record<string, unknown> }>>(root, "catalog/models.dev-api.json");
  const ids = new Set<string>([recorded.id]);
  for (const [provider, entry] of Object.entries(modelsDev)) {
    for (const model of Object.keys(entry.models ?? {})) ids.add(model.includes("/") ? model : `${provider}/${model}`);
  }
  return [...ids].map((id, index) =>
    id === recorded.id
      ? recorded
      : { _id: index.toString(16).padStart(24, "0"), id, inferenceProviderMapping: recorded.inferenceProviderMapping },
  );
}

/** The Hub's list fields for the author endpoint; entry 2 is private and entry 3 gated (to be dropped). */
function authorEntries(listing: Entry[], author: string, limit: number): Entry[] {
  return listing
    .filter((entry) => entry.id.startsWith(`${author}/`))
    .slice(0, limit)
    .map((entry, index) => ({
      _id: entry._id,
      id: entry.id,
      author,
      private: index === 1,
      gated: index === 2 ? "manual" : false,
      downloads: 1000 - index,
      likes: 100 - index,
      pipeline_tag: "text-generation",
      library_name: "transformers",
      tags: ["transformers", "text-generation"],
      createdAt: "2024-07-18T08:56:00.000Z",
    }));
}

export function createCatalogServer(root: string) {
  let scenario: CatalogScenario = {};
  let listing: Entry[] | undefined;
  const cap = (provider: string, asked: number) =>
    Math.min(asked, scenario.pageSize?.[provider] ?? defaultPageSize[provider] ?? asked);
  const keep = (provider: string) => (entry: { id?: unknown; name?: unknown }) => {
    const dropped = scenario.drop?.[provider] ?? [];
    return !dropped.includes(String(entry.id ?? String(entry.name ?? "").replace(/^models\//, "")));
  };
  const failing = (provider: string, page: number, res: ServerResponse) => {
    if (scenario.failPage?.[provider] !== page) return false;
    res.writeHead(500, { "content-type": "application/json" });
    res.end(readFileSync(`${root}openai-compatible/mistral/error-500-service-unavailable.json`));
    return true;
  };

  /** The fixture a chat request for `model` replays, when the scenario names one. */
  const replyFixture = (model: string) => scenario.replies?.[model];

  /** Answers a catalog request; false when the request is not one. */
  function serve(req: IncomingMessage, res: ServerResponse, body: string): boolean {
    const url = new URL(req.url ?? "/", "http://mock");
    const path = url.pathname;
    if (path === "/__scenario") {
      scenario = req.method === "POST" ? (JSON.parse(body) as CatalogScenario) : {};
      json(res, 200, scenario);
      return true;
    }
    if (req.method !== "GET") return false;
    if (path === "/models.dev/api.json") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(readFileSync(`${root}catalog/models.dev-api.json`));
      return true;
    }
    const vendor = /^\/([a-z0-9-]+)\/v1\/models$/.exec(path)?.[1];
    if (vendor && recordedLists[vendor]) {
      if (failing(vendor, 1, res)) return true;
      const list = readJson<{ data: Entry[] }>(root, recordedLists[vendor]);
      json(res, 200, { ...list, data: list.data.filter(keep(vendor)) });
      return true;
    }
    if (vendor === "anthropic") {
      const all = readJson<{ data: Entry[] }>(root, "catalog/anthropic-models.json").data.filter(keep("anthropic"));
      const after = url.searchParams.get("after_id");
      const start = after ? all.findIndex((entry) => entry.id === after) + 1 : 0;
      const page = all.slice(start, start + cap("anthropic", Number(url.searchParams.get("limit") ?? 20)));
      if (failing("anthropic", Math.floor(start / cap("anthropic", 1000)) + 1, res)) return true;
      json(res, 200, {
        data: page,
        has_more: start + page.length < all.length,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
      });
      return true;
    }
    if (vendor === "google") {
      const all = readJson<{ models: Entry[] }>(root, "catalog/gemini-models.json").models.filter(keep("google"));
      const start = Number(url.searchParams.get("pageToken") ?? 0);
      const size = cap("google", Number(url.searchParams.get("pageSize") ?? 50));
      if (failing("google", Math.floor(start / size) + 1, res)) return true;
      const next = start + size < all.length ? { nextPageToken: String(start + size) } : {};
      json(res, 200, { models: all.slice(start, start + size), ...next });
      return true;
    }
    if (path.startsWith("/huggingface-hub/api/models")) {
      listing ??= hubListing(root);
      const info = /^\/huggingface-hub\/api\/models\/(.+)$/.exec(path)?.[1];
      if (info) {
        const recorded = listing[0] as Entry;
        if (decodeURIComponent(info) === recorded.id) json(res, 200, recorded);
        else json(res, 404, { error: "Repository not found" });
        return true;
      }
      const author = url.searchParams.get("author");
      if (author) {
        json(res, 200, authorEntries(listing, author, Number(url.searchParams.get("limit") ?? 20)));
        return true;
      }
      const all = listing.filter(keep("huggingface"));
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const size = cap("huggingface", Number(url.searchParams.get("limit") ?? 1000));
      if (failing("huggingface", Math.floor(start / size) + 1, res)) return true;
      const headers: Record<string, string> = {};
      if (start + size < all.length) {
        const next = new URL(url.href.replace("http://mock", `http://${req.headers.host}`));
        next.searchParams.set("cursor", String(start + size));
        headers.link = `<${next.href}>; rel="next"`;
      }
      json(res, 200, all.slice(start, start + size), headers);
      return true;
    }
    return false;
  }

  return { serve, replyFixture };
}
