// Admin request analytics per provider and per model: providers with requests, request counts, model
// statistics and the page-based model-usage analytics, against rows this file logged itself.
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";
import { buildScenario, type Scenario } from "../support/request-analytics-fixtures";

const admin = { key: TEST_ADMIN_API_KEY };

let s: Scenario;
const get = async <T>(path: string): Promise<T> => {
  const response = await call(path, admin);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
};

beforeAll(async () => {
  s = await buildScenario();
});

describe("GET /admin/monitoring/chat-requests/providers", () => {
  interface Providers {
    data: {
      provider_id: number | null;
      name: string;
      slug: string;
      models_with_requests: number;
      total_requests: number;
    }[];
    metadata: { total_providers: number; has_more: boolean };
  }

  it("lists providers with their models used and requests, most requests first", async () => {
    const alice = await get<Providers>(`/admin/monitoring/chat-requests/providers?user_id=${s.alice.userId}`);
    expect(alice.data).toEqual([
      { provider_id: s.p1.id, name: s.p1.name, slug: s.p1.slug, models_with_requests: 3, total_requests: 6 },
    ]);
    const bob = await get<Providers>(`/admin/monitoring/chat-requests/providers?user_id=${s.bob.userId}`);
    expect(bob.metadata).toMatchObject({ total_providers: 3, has_more: false });
    expect(bob.data).toEqual([
      { provider_id: s.p2.id, name: s.p2.name, slug: s.p2.slug, models_with_requests: 3, total_requests: 6 },
      // Ties in requests go by slug: "-ghost" < "-p1".
      { provider_id: null, name: s.ghost, slug: s.ghost, models_with_requests: 1, total_requests: 1 },
      { provider_id: s.p1.id, name: s.p1.name, slug: s.p1.slug, models_with_requests: 1, total_requests: 1 },
    ]);
    const page = await get<Providers>(
      `/admin/monitoring/chat-requests/providers?user_id=${s.bob.userId}&limit=1&offset=1`,
    );
    expect(page.data.map((row) => row.slug)).toEqual([s.ghost]);
    expect(page.metadata).toMatchObject({ total_providers: 3, has_more: true });
  });
});

describe("GET /admin/monitoring/chat-requests/counts", () => {
  interface Counts {
    data: {
      model_id: number | null;
      model_name: string;
      model_identifier: string;
      provider_slug: string | null;
      request_count: number;
    }[];
    metadata: { total_models: number; total_requests: number; has_more: boolean };
  }

  it("counts requests per model in SQL, catalog models and others alike", async () => {
    const counts = await get<Counts>(`/admin/monitoring/chat-requests/counts?user_id=${s.alice.userId}`);
    expect(counts.metadata).toMatchObject({ total_models: 3, total_requests: 6, has_more: false });
    expect(counts.data).toEqual([
      {
        model_id: s.modelA,
        model_name: `${s.marker} Alpha`,
        model_identifier: `${s.p1.slug}/alpha-model`,
        provider_name: s.p1.name,
        provider_slug: s.p1.slug,
        request_count: 4,
      },
      expect.objectContaining({ model_id: s.modelB, request_count: 1 }),
      {
        model_id: null,
        model_name: "mystery-model",
        model_identifier: `${s.p1.slug}/mystery-model`,
        provider_name: s.p1.name,
        provider_slug: s.p1.slug,
        request_count: 1,
      },
    ]);
    const second = await get<Counts>(
      `/admin/monitoring/chat-requests/counts?user_id=${s.alice.userId}&limit=1&offset=1`,
    );
    expect(second.data.map((row) => row.model_id)).toEqual([s.modelB]);
    // Totals are of every matching model, not of the page.
    expect(second.metadata).toMatchObject({ total_models: 3, total_requests: 6, has_more: true });
    const failed = await get<Counts>(`/admin/monitoring/chat-requests/counts?user_id=${s.alice.userId}&status=failed`);
    expect(failed.data.map((row) => [row.model_id, row.request_count])).toEqual([[s.modelA, 1]]);
  });
});

describe("GET /admin/monitoring/chat-requests/models", () => {
  interface Models {
    data: {
      model_id: number | null;
      model_identifier: string;
      provider_model_id: string;
      provider: { id: number | null; name: string | null; slug: string } | null;
      stats: Record<string, number>;
    }[];
    metadata: { total_models: number; method: string };
  }

  it("gives each model's token, cost and latency statistics", async () => {
    const models = await get<Models>(`/admin/monitoring/chat-requests/models?user_id=${s.alice.userId}`);
    expect(models.metadata).toMatchObject({ total_models: 3, method: "sql" });
    expect(models.data[0]).toEqual({
      model_id: s.modelA,
      model_identifier: `${s.p1.slug}/alpha-model`,
      model_name: `${s.marker} Alpha`,
      provider_model_id: "alpha-model",
      provider: { id: s.p1.id, name: s.p1.name, slug: s.p1.slug },
      stats: {
        total_requests: 4,
        successful_requests: 3,
        failed_requests: 1,
        total_input_tokens: 311,
        total_output_tokens: 151,
        total_tokens: 462,
        avg_processing_time_ms: 1127.5,
        total_cost_usd: 0.003500001,
      },
    });
  });

  it("filters by provider and searches the model's name or id", async () => {
    const p2 = await get<Models>(`/admin/monitoring/chat-requests/models?provider_id=${s.p2.id}`);
    expect(p2.data.map((row) => row.model_id).sort()).toEqual([...s.p2Models].sort());
    expect(p2.data.every((row) => row.stats.total_requests === 2)).toBe(true);
    const ghost = await get<Models>(`/admin/monitoring/chat-requests/models?provider=${s.ghost}`);
    expect(ghost.data).toEqual([
      expect.objectContaining({ model_id: null, provider: { id: null, name: s.ghost, slug: s.ghost } }),
    ]);
    const searched = await get<Models>(`/admin/monitoring/chat-requests/models?model_name=${s.p1.slug}/BETA`);
    expect(searched.data.map((row) => row.model_id)).toEqual([s.modelB]);
  });
});

describe("GET /admin/model-usage-analytics", () => {
  interface Usage {
    data: Record<string, unknown>[];
    pagination: Record<string, unknown>;
    filters: Record<string, unknown>;
    metadata: { items_in_page: number };
  }
  const usage = (query: string) => get<Usage>(`/admin/model-usage-analytics?user_id=${s.alice.userId}&${query}`);

  it("pages per-model usage sorted by cost by default, with the seed's pagination", async () => {
    const first = await usage(`model_name=${s.p1.slug}&limit=2`);
    expect(first.data.map((row) => row.model_id)).toEqual([s.modelA, s.modelB]);
    expect(first.pagination).toEqual({
      page: 1,
      limit: 2,
      total_items: 3,
      total_pages: 2,
      has_next: true,
      has_prev: false,
      offset: 0,
    });
    expect(first.filters).toMatchObject({ model_name: s.p1.slug, sort_by: "total_cost_usd", sort_order: "desc" });
    expect(first.data[0]).toMatchObject({
      model_name: `${s.marker} Alpha`,
      provider_name: s.p1.name,
      successful_requests: 3,
      total_requests: 4,
      total_cost_usd: 0.003500001,
      avg_cost_per_request_usd: 0.000875,
      total_input_tokens: 311,
      total_output_tokens: 151,
      total_tokens: 462,
      avg_processing_time_ms: 1127.5,
      pricing_prompt: "0.000001",
      pricing_completion: "0.000002",
    });
    expect(first.data[0]?.first_request_at).not.toBeNull();
    const second = await usage(`model_name=${s.p1.slug}&limit=2&page=2`);
    expect(second.data.map((row) => row.model_identifier)).toEqual([`${s.p1.slug}/mystery-model`]);
    expect(second.pagination).toMatchObject({ page: 2, has_next: false, has_prev: true, offset: 2 });
    expect(second.metadata.items_in_page).toBe(1);
    const past = await usage(`model_name=${s.p1.slug}&limit=2&page=9`);
    expect(past.data).toEqual([]);
    expect(past.pagination).toMatchObject({ total_items: 3, total_pages: 2 });
  });

  it("sorts by any whitelisted field in either direction and searches by name", async () => {
    const byInput = await usage(`model_name=${s.p1.slug}&sort_by=total_input_tokens&sort_order=asc`);
    expect(byInput.data.map((row) => row.total_input_tokens)).toEqual([5, 40, 311]);
    const byLatency = await usage(`model_name=${s.p1.slug}&sort_by=avg_processing_time_ms`);
    expect(byLatency.data.map((row) => row.avg_processing_time_ms)).toEqual([2000, 1127.5, 100]);
    const alpha = await usage("model_name=alpha");
    expect(alpha.data.map((row) => row.model_id)).toEqual([s.modelA]);
    const nothing = await usage("model_name=no-such-model-anywhere");
    expect(nothing.data).toEqual([]);
    expect(nothing.pagination).toMatchObject({ total_items: 0, total_pages: 0, has_next: false });
  });

  it("refuses unknown sort fields and out-of-range pages with 400", async () => {
    for (const [query, param] of [
      ["sort_by=password", "sort_by"],
      ["sort_order=sideways", "sort_order"],
      ["page=0", "page"],
      ["limit=501", "limit"],
    ]) {
      const response = await call(`/admin/model-usage-analytics?${query}`, admin);
      expect(response.status, query).toBe(400);
      expect((await errorOf(response)).error.param, query).toBe(param);
    }
  });
});
