// The catalog read APIs over a catalog synced from the recorded lists: filters, pagination edges,
// the `hug` alias, unique counting across gateways, search, usage rankings, and the admin cache views.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { setScenario } from "../support/catalog-scenario";
import { eventually } from "../support/eventually";
import { call, errorOf } from "../support/gateway";

const admin = { key: TEST_ADMIN_API_KEY };

interface ModelList {
  object: string;
  data: {
    id: string;
    provider_model_id: string;
    gateway: string;
    gateways: string[];
    provider: string | null;
    context_length: number | null;
    architecture: { input_modalities: string[]; output_modalities: string[] };
    pricing: { prompt: string | null; completion: string | null };
    supports_tools: boolean;
    supports_vision: boolean;
    name: string;
    description: string | null;
  }[];
  total: number;
  returned: number;
  offset: number;
  limit: number | null;
  gateway: string;
}

async function list(path: string): Promise<ModelList> {
  const response = await call(path);
  const body = (await response.json()) as ModelList;
  expect(response.status, JSON.stringify(body).slice(0, 300)).toBe(200);
  return body;
}

async function countOf(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await execute(query);
  return Number(row?.n);
}

const activeOf = (gateway: string) =>
  countOf(sql`select count(*)::int as n from models m join providers p on p.id = m.provider_id
    where p.slug = ${gateway} and m.is_active`);

const uniqueActive = () =>
  countOf(sql`select count(distinct lower(provider_model_id))::int as n from models where is_active`);

beforeAll(async () => {
  await setScenario(env.TEST_MOCK_UPSTREAM_URL, {});
  for (const provider of ["openrouter", "huggingface", "anthropic", "openai", "deepseek"]) {
    const response = await call(`/admin/model-sync/provider/${provider}`, { method: "POST", ...admin });
    expect(response.status).toBe(200);
  }
});

afterEach(() => setScenario(env.TEST_MOCK_UPSTREAM_URL, {}));

describe("GET /v1/models", () => {
  it("gateway=huggingface&limit=50000 returns every Hugging Face model, and `hug` is the same gateway", async () => {
    const expected = await activeOf("huggingface");
    expect(expected).toBeGreaterThan(1_000);
    const body = await list("/v1/models?gateway=huggingface&limit=50000");
    expect(body).toMatchObject({ object: "list", total: expected, returned: expected, gateway: "huggingface" });
    expect(new Set(body.data.map((model) => model.id)).size).toBe(expected);
    expect(body.data.map((model) => model.id)).toContain("huggingface/meta-llama/Llama-3.1-8B-Instruct");
    const alias = await list("/v1/models?gateway=hug&limit=50000");
    expect(alias.gateway).toBe("huggingface");
    expect(alias.data.map((model) => model.id)).toEqual(body.data.map((model) => model.id));
  });

  it("lists each model once across gateways by default, with every gateway that serves it", async () => {
    const body = await list("/v1/models");
    expect(body.gateway).toBe("all");
    expect(body.total).toBe(await uniqueActive());
    expect(body.limit).toBeNull();
    expect(body.returned).toBe(body.total);
    // OpenRouter's and Hugging Face's ids for Llama 3.1 8B differ only in case: one model, two gateways.
    const llama = body.data.find(
      (model) => model.provider_model_id.toLowerCase() === "meta-llama/llama-3.1-8b-instruct",
    );
    expect(llama?.gateways).toEqual(["huggingface", "openrouter"]);
  });

  it("carries OpenRouter-style fields: per-token prices as strings, context, architecture, developer", async () => {
    const body = await list("/v1/models?gateway=openrouter&provider=anthropic");
    expect(body.total).toBe(
      await countOf(sql`select count(*)::int as n from models m join providers p on p.id = m.provider_id
        where p.slug = 'openrouter' and m.is_active and m.developer = 'anthropic'`),
    );
    expect(body.data.every((model) => model.provider === "anthropic")).toBe(true);
    const haiku = body.data.find((model) => model.id === "openrouter/anthropic/claude-haiku-4.5");
    expect(haiku).toMatchObject({
      provider_model_id: "anthropic/claude-haiku-4.5",
      pricing: { prompt: "0.000001", completion: "0.000005" },
      supports_tools: true,
    });
    expect(haiku?.context_length).toBeGreaterThan(0);
    expect(haiku?.architecture.input_modalities).toContain("text");
  });

  it("paginates: a window, offset past the end, limit 0", async () => {
    const all = await list("/v1/models?gateway=openrouter");
    const window = await list("/v1/models?gateway=openrouter&offset=5&limit=3");
    expect(window).toMatchObject({ total: all.total, returned: 3, offset: 5, limit: 3 });
    expect(window.data.map((model) => model.id)).toEqual(all.data.slice(5, 8).map((model) => model.id));
    const past = await list(`/v1/models?gateway=openrouter&offset=${all.total + 10}`);
    expect(past).toMatchObject({ data: [], total: all.total, returned: 0 });
    const none = await list("/v1/models?gateway=openrouter&limit=0");
    expect(none).toMatchObject({ data: [], total: all.total, returned: 0, limit: 0 });
    const tail = await list(`/v1/models?gateway=openrouter&offset=${all.total - 2}&limit=50000`);
    expect(tail.returned).toBe(2);
  });

  it("rejects an unknown gateway and malformed pagination in the error shape", async () => {
    const unknown = await call("/v1/models?gateway=nope");
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).error).toMatchObject({ code: "unknown_gateway", param: "gateway" });
    for (const query of ["limit=-1", "offset=-3", "limit=abc", "limit=1.5"]) {
      const response = await call(`/v1/models?${query}`);
      expect(response.status, query).toBe(400);
      expect((await errorOf(response)).error.type).toBe("invalid_request_error");
    }
  });

  it("a sync invalidates the cached catalog at once", async () => {
    const before = await list("/v1/models?gateway=anthropic");
    await setScenario(env.TEST_MOCK_UPSTREAM_URL, { drop: { anthropic: ["claude-opus-4-6"] } });
    expect((await call("/admin/model-sync/provider/anthropic", { method: "POST", ...admin })).status).toBe(200);
    const after = await list("/v1/models?gateway=anthropic");
    expect(after.total).toBe(before.total - 1);
    expect(after.data.map((model) => model.provider_model_id)).not.toContain("claude-opus-4-6");
    await setScenario(env.TEST_MOCK_UPSTREAM_URL, {});
    expect((await call("/admin/model-sync/provider/anthropic", { method: "POST", ...admin })).status).toBe(200);
    expect((await list("/v1/models?gateway=anthropic")).total).toBe(before.total);
  });
});

describe("GET /v1/models/{id}", () => {
  it("finds a model by gateway/upstream-id and by upstream id alone; an unknown id is 404", async () => {
    const exact = await call("/v1/models/openrouter/anthropic/claude-haiku-4.5");
    expect(exact.status).toBe(200);
    expect(await exact.json()).toMatchObject({ gateway: "openrouter", pricing: { prompt: "0.000001" } });
    const bare = await call("/v1/models/gpt-4o");
    expect(bare.status).toBe(200);
    expect(await bare.json()).toMatchObject({ id: "openai/gpt-4o", gateway: "openai", provider: "openai" });
    const missing = await call("/v1/models/openrouter/no-such/model");
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).error.code).toBe("model_not_found");
    const percent = await call("/v1/models/100%25-model");
    expect(percent.status).toBe(404);
    expect((await errorOf(percent)).error.message).toBe("Model '100%-model' is not in the catalog");
  });
});

describe("GET /v1/models/search", () => {
  it("matches every word of the text in the id, name or description", async () => {
    const body = await list("/v1/models/search?q=claude%20haiku&gateway=openrouter");
    expect(body.total).toBeGreaterThan(0);
    for (const model of body.data) {
      const text = `${model.provider_model_id} ${model.name} ${model.description ?? ""}`.toLowerCase();
      expect(text).toContain("claude");
      expect(text).toContain("haiku");
    }
  });

  it("filters by capability, modality, maximum prompt price per million and minimum context", async () => {
    const vision = await list("/v1/models/search?capability=vision&gateway=openrouter");
    expect(vision.total).toBeGreaterThan(0);
    expect(vision.data.every((model) => model.supports_vision)).toBe(true);
    const images = await list("/v1/models/search?modality=image&gateway=openrouter");
    expect(
      images.data.every((model) =>
        [...model.architecture.input_modalities, ...model.architecture.output_modalities].includes("image"),
      ),
    ).toBe(true);
    const cheap = await list("/v1/models/search?max_price=0.5&gateway=openrouter");
    expect(cheap.total).toBeGreaterThan(0);
    // Exact comparison in integer micro-units: price per token × 10^6 ≤ 0.5.
    for (const model of cheap.data) expect(Number(model.pricing.prompt) * 1e6).toBeLessThanOrEqual(0.5 + 1e-12);
    const everything = await list("/v1/models/search?gateway=openrouter");
    const expensive = everything.data.filter(
      (model) => model.pricing.prompt !== null && Number(model.pricing.prompt) * 1e6 > 0.5,
    );
    expect(cheap.total + expensive.length).toBeLessThanOrEqual(everything.total);
    const long = await list("/v1/models/search?min_context=1000000&gateway=openrouter");
    expect(long.total).toBeGreaterThan(0);
    expect(long.data.every((model) => (model.context_length ?? 0) >= 1_000_000)).toBe(true);
    const bad = await call("/v1/models/search?capability=telepathy");
    expect(bad.status).toBe(400);
  });
});

describe("usage rankings from the request log", () => {
  beforeAll(async () => {
    const user = await registerAccount();
    // Request-log rows as settlement writes them: haiku 5 times and slow, deepseek-chat 3 times and fast.
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => ["openrouter", "anthropic/claude-haiku-4.5", 900 + i, 400 + i]),
      ...Array.from({ length: 3 }, (_, i) => ["deepseek", "deepseek-chat", 300 + i, 80 + i]),
      ["openai", "gpt-4o", 100, 50],
    ] as const;
    for (const [index, [provider, model, latency, ttft]] of rows.entries()) {
      await execute(sql`insert into chat_completion_requests (request_id, user_id, requested_model, provider,
        upstream_model, status, http_status, prompt_tokens, completion_tokens, latency_ms, time_to_first_token_ms)
        values (${`rank-${crypto.randomUUID()}-${index}`}, ${user.userId}, ${`${provider}/${model}`}, ${provider}, ${model},
          'completed', 200, 10, 5, ${latency}, ${ttft})`);
    }
  });

  it("trending ranks models by completed requests in the window", async () => {
    const response = await call("/v1/models/trending?hours=1&limit=5");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { id: string; requests: number; rank: number; name: string }[] };
    const haiku = body.data.find((row) => row.id === "openrouter/anthropic/claude-haiku-4.5");
    const deepseek = body.data.find((row) => row.id === "deepseek/deepseek-chat");
    expect(haiku?.requests).toBeGreaterThanOrEqual(5);
    expect(haiku?.name).toBe("Anthropic: Claude Haiku 4.5");
    expect(deepseek?.requests).toBeGreaterThanOrEqual(3);
    expect(haiku?.rank).toBeLessThan(deepseek?.rank ?? 0);
  });

  it("low-latency ranks models with enough requests by median time to first token", async () => {
    const response = await call("/v1/models/low-latency?hours=1&min_requests=3");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: { id: string; median_time_to_first_token_ms: number; median_latency_ms: number }[];
    };
    const ids = body.data.map((row) => row.id);
    expect(ids).not.toContain("openai/gpt-4o"); // one request: below min_requests
    expect(ids.indexOf("deepseek/deepseek-chat")).toBeLessThan(ids.indexOf("openrouter/anthropic/claude-haiku-4.5"));
    expect(body.data.find((row) => row.id === "deepseek/deepseek-chat")).toMatchObject({
      median_time_to_first_token_ms: 81,
      median_latency_ms: 301,
    });
  });
});

describe("providers and gateways", () => {
  it("GET /v1/provider lists every provider, configured or not, with its catalog size", async () => {
    const response = await call("/v1/provider");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { slug: string; configured: boolean; models: number }[] };
    expect(body.data.find((row) => row.slug === "openrouter")).toMatchObject({
      configured: true,
      models: await activeOf("openrouter"),
    });
    expect(body.data.find((row) => row.slug === "together")).toMatchObject({ configured: false, models: 0 });
  });

  it("GET /v1/gateways/summary counts listings, unique models and duplicates per gateway and across all", async () => {
    const response = await call("/v1/gateways/summary");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      gateways: { gateway: string; total: number; unique: number; duplicates: number; status: string }[];
      all: { total: number; unique: number; duplicates: number };
    };
    // The Hub listing names some repos twice in different case (ids compare case-insensitively).
    const hfUnique = await countOf(sql`select count(distinct lower(m.provider_model_id))::int as n from models m
      join providers p on p.id = m.provider_id where p.slug = 'huggingface' and m.is_active`);
    const hfTotal = await activeOf("huggingface");
    const hf = body.gateways.find((row) => row.gateway === "huggingface");
    expect(hf).toMatchObject({ total: hfTotal, unique: hfUnique, duplicates: hfTotal - hfUnique, status: "ok" });
    expect(body.gateways.find((row) => row.gateway === "openrouter")?.duplicates).toBe(0);
    const listings = await countOf(sql`select count(*)::int as n from models where is_active`);
    expect(body.all).toEqual({
      total: listings,
      unique: await uniqueActive(),
      duplicates: listings - (await uniqueActive()),
    });
    expect(body.all.duplicates).toBeGreaterThan(0);
  });
});

describe("GET /catalog/models (seed 000 shape)", () => {
  it("returns data, total, returned, offset, limit, gateway and timestamp; gateway=all counts unique models", async () => {
    const response = await call("/catalog/models?gateway=all&limit=10&offset=0");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & { data: Record<string, unknown>[] };
    expect(Object.keys(body).sort()).toEqual(["data", "gateway", "limit", "offset", "returned", "timestamp", "total"]);
    expect(body).toMatchObject({ total: await uniqueActive(), returned: 10, offset: 0, limit: 10, gateway: "all" });
    expect(Number.isNaN(Date.parse(String(body.timestamp)))).toBe(false);
    const entry = body.data[0];
    expect(entry).toHaveProperty("pricing.prompt");
    expect(entry).toHaveProperty("architecture.input_modalities");
    expect(entry).toHaveProperty("provider_slug");
    expect(entry).toHaveProperty("hugging_face_id");
  });

  it("filters by developer and gateway, and include_huggingface=false leaves the Hugging Face fields out", async () => {
    const response = await call("/catalog/models?gateway=openrouter&provider=anthropic&include_huggingface=false");
    const body = (await response.json()) as { data: Record<string, unknown>[]; total: number };
    expect(body.total).toBeGreaterThan(0);
    expect(body.data.every((entry) => entry.provider_slug === "anthropic" && entry.gateway === "openrouter")).toBe(
      true,
    );
    expect(body.data[0]).not.toHaveProperty("hugging_face_id");
    const hug = await call("/catalog/models?gateway=hug&limit=0");
    expect(await hug.json()).toMatchObject({
      gateway: "huggingface",
      total: await activeOf("huggingface"),
      returned: 0,
    });
  });
});

describe("GET /v1/huggingface/author/{author}/models", () => {
  it("returns the author's public models, most downloaded first, private and gated ones left out", async () => {
    const response = await call("/v1/huggingface/author/meta-llama/models?limit=5");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      author: string;
      count: number;
      models: { id: string; name: string; author: string; downloads: number }[];
    };
    // The mock's second entry is private and its third gated: 5 asked, 3 public.
    expect(body).toMatchObject({ author: "meta-llama", count: 3 });
    expect(body.models.every((model) => model.id.startsWith("meta-llama/") && model.author === "meta-llama")).toBe(
      true,
    );
    expect(body.models.map((model) => model.downloads)).toEqual(
      [...body.models.map((m) => m.downloads)].sort((a, b) => b - a),
    );
    expect(body.models[0]?.name).not.toContain("-");
  });

  it("an author with no models is an empty list; a malformed author is 400", async () => {
    const empty = await call("/v1/huggingface/author/nobody-here/models");
    expect(await empty.json()).toEqual({ author: "nobody-here", models: [], count: 0 });
    const bad = await call("/v1/huggingface/author/bad%20author!/models");
    expect(bad.status).toBe(400);
    const tooMany = await call("/v1/huggingface/author/meta-llama/models?limit=101");
    expect(tooMany.status).toBe(400);
  });
});

describe("admin catalog cache endpoints", () => {
  it("need an admin", async () => {
    const user = await registerAccount();
    for (const path of ["/admin/cache-status", "/admin/debug-models", "/admin/huggingface-cache-status"]) {
      expect((await call(path)).status, path).toBe(401);
      expect((await call(path, { key: user.apiKey })).status, path).toBe(403);
    }
  });

  it("report, refresh and clear the cached catalog", async () => {
    await list("/v1/models?limit=1");
    const status = await call("/admin/cache-status", admin);
    expect(await status.json()).toMatchObject({
      status: "success",
      cache_info: { has_data: true, is_valid: true, ttl_seconds: 300, total_cached_providers: expect.any(Number) },
    });
    const hf = await call("/admin/huggingface-cache-status", admin);
    const hfBody = (await hf.json()) as {
      huggingface_cache: { total_cached_models: number; cached_model_ids: string[] };
    };
    expect(hfBody.huggingface_cache.total_cached_models).toBe(await activeOf("huggingface"));
    expect(hfBody.huggingface_cache.cached_model_ids).toContain("meta-llama/Llama-3.1-8B-Instruct");

    const cleared = await call("/admin/refresh-huggingface-cache", { method: "POST", ...admin });
    expect(await cleared.json()).toMatchObject({ message: "Hugging Face cache cleared successfully" });
    expect(await (await call("/admin/cache-status", admin)).json()).toMatchObject({
      cache_info: { has_data: false, cache_age_seconds: null, is_valid: false },
    });

    const refreshed = await call("/admin/refresh-providers", { method: "POST", ...admin });
    const refreshedBody = (await refreshed.json()) as { total_providers: number; message: string };
    expect(refreshedBody.message).toBe("Provider cache refreshed successfully");
    expect(refreshedBody.total_providers).toBe(await countOf(sql`select count(*)::int as n from providers`));
  });

  it("debug-models samples the caches and matches model ids to provider slugs", async () => {
    const response = await call("/admin/debug-models", admin);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      models_cache: { total_models: number; sample_models: unknown[] };
      provider_matching_test: { found_provider: boolean }[];
    };
    expect(body.models_cache.sample_models).toHaveLength(3);
    expect(body.provider_matching_test).toHaveLength(2);
    expect(body.provider_matching_test.every((test) => test.found_provider)).toBe(true);
  });

  it("test-huggingface fetches the Hub record once, then serves it from Redis; unknown ids are 404", async () => {
    const path = "/admin/test-huggingface/meta-llama/Llama-3.1-8B-Instruct";
    const first = await call(path, admin);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { raw_response: { id: string }; author_data_extracted: { author: unknown } };
    expect(body.raw_response.id).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(body).toHaveProperty("author_data_extracted.has_author_data", false);
    // The copy is written to Redis after the response (waitUntil).
    await eventually(async () => {
      const second = await call(path, admin);
      expect(await second.json()).toMatchObject({
        cached: true,
        raw_response: { id: "meta-llama/Llama-3.1-8B-Instruct" },
      });
    });
    const missing = await call("/admin/test-huggingface/nobody/nothing", admin);
    expect(missing.status).toBe(404);
    const malformed = await call("/admin/test-huggingface/not-a-repo-id", admin);
    expect(malformed.status).toBe(400);
  });
});
