// Admin request analytics over single rows: the filtered list (exact totals, pages, every filter), the
// summary, the plot data and the per-key listing, against rows this file logged itself.
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";
import { buildScenario, type Scenario } from "../support/request-analytics-fixtures";

const admin = { key: TEST_ADMIN_API_KEY };

interface Row {
  request_id: string;
  model_id: number | null;
  api_key_id: number | null;
  status: string;
  http_status: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  processing_time_ms: number | null;
  error_message: string | null;
  created_at: string;
  models: { id: number; model_id: string; model_name: string; providers: { id: number; slug: string } } | null;
}
interface RowList {
  data: Row[];
  metadata: { total_count: number; returned_count: number; has_more: boolean; filters: Record<string, unknown> };
}

let s: Scenario;
const get = async <T>(path: string): Promise<T> => {
  const response = await call(path, admin);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
};
const list = (query: string) => get<RowList>(`/admin/monitoring/chat-requests?user_id=${s.alice.userId}&${query}`);

beforeAll(async () => {
  s = await buildScenario();
});

describe("admin request analytics: access", () => {
  const paths = [
    "/admin/monitoring/chat-requests",
    "/admin/monitoring/chat-requests/summary",
    "/admin/monitoring/chat-requests/plot-data",
    "/admin/monitoring/chat-requests/by-api-key?api_key=gw_live_x",
    "/admin/monitoring/chat-requests/providers",
    "/admin/monitoring/chat-requests/counts",
    "/admin/monitoring/chat-requests/models",
    "/admin/model-usage-analytics",
    "/admin/monitoring/api-key-tracking-quality",
    "/admin/monitoring/api-key-tracking-trend",
  ];

  it("answers 401 without a key and 403 to a non-admin key on every endpoint", async () => {
    for (const path of paths) {
      const anonymous = await call(path);
      expect(anonymous.status, path).toBe(401);
      expect((await errorOf(anonymous)).error.type).toBe("authentication_error");
      const user = await call(path, { key: s.alice.apiKey });
      expect(user.status, path).toBe(403);
      expect((await errorOf(user)).error.code).toBe("admin_required");
    }
  });

  it("documents every endpoint in the OpenAPI document", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const path of paths) expect(Object.keys(doc.paths)).toContain(path.split("?")[0]);
  });
});

describe("GET /admin/monitoring/chat-requests", () => {
  it("lists the matching rows newest first with the exact total and the seed's field names", async () => {
    const all = await list("");
    expect(all.metadata).toMatchObject({ total_count: 6, returned_count: 6, has_more: false });
    expect(all.data.map((row) => row.request_id)).toEqual([...s.aliceRows].reverse());
    const second = all.data.find((row) => row.request_id === s.aliceRows[1]);
    expect(second).toMatchObject({
      model_id: s.modelA,
      input_tokens: 200,
      output_tokens: 100,
      total_tokens: 300,
      cost_usd: 0.0025,
      processing_time_ms: 3000,
      status: "completed",
      models: { id: s.modelA, model_id: `${s.p1.slug}/alpha-model`, model_name: `${s.marker} Alpha` },
    });
    expect(second?.models?.providers).toMatchObject({ id: s.p1.id, slug: s.p1.slug });
    // A model the catalog does not list stays visible, without a catalog entry.
    const mystery = all.data.find((row) => row.request_id === s.aliceRows[4]);
    expect(mystery).toMatchObject({ model_id: null, models: null, api_key_id: s.aliceKey2.id });
  });

  it("pages with limit and offset over the exact total", async () => {
    const page = await list("limit=2&offset=2");
    expect(page.metadata).toMatchObject({ total_count: 6, returned_count: 2, has_more: true });
    expect(page.data.map((row) => row.request_id)).toEqual([s.aliceRows[3], s.aliceRows[2]]);
    const last = await list("limit=4&offset=4");
    expect(last.metadata).toMatchObject({ total_count: 6, returned_count: 2, has_more: false });
    const beyond = await list("offset=100");
    expect(beyond.metadata).toMatchObject({ total_count: 6, returned_count: 0 });
  });

  it("filters by model, provider, name, key, status and date range", async () => {
    const ids = async (query: string) => (await list(query)).data.map((row) => row.request_id).sort();
    const rows = s.aliceRows;
    expect(await ids(`model_id=${s.modelA}`)).toEqual([rows[0], rows[1], rows[2], rows[5]].sort());
    expect(await ids(`provider_id=${s.p1.id}`)).toHaveLength(6);
    expect(await ids(`provider_id=${s.p2.id}`)).toEqual([]);
    expect(await ids(`provider=${s.p1.slug}`)).toHaveLength(6);
    expect(await ids("model_name=ALPHA")).toEqual([rows[0], rows[1], rows[2], rows[5]].sort());
    expect(await ids("model_name=mystery")).toEqual([rows[4]]);
    expect(await ids("model_name=%25")).toEqual([]);
    expect(await ids(`api_key_id=${s.aliceKey2.id}`)).toEqual([rows[2], rows[4]].sort());
    const failed = await list("status=failed");
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0]).toMatchObject({ http_status: 502, error_message: "upstream failed", cost_usd: 0 });
    const from = new Date(Date.now() - 45 * 60_000).toISOString();
    const to = new Date(Date.now() - 25 * 60_000).toISOString();
    const window = await list(`start_date=${from}&end_date=${to}`);
    expect(window.data.map((row) => row.request_id).sort()).toEqual([rows[2], rows[3]].sort());
    expect(window.metadata.filters).toMatchObject({ user_id: s.alice.userId, start_date: from, end_date: to });
    const bob = await get<RowList>(`/admin/monitoring/chat-requests?user_id=${s.bob.userId}&model_id=${s.modelA}`);
    expect(bob.metadata.total_count).toBe(1);
  });

  it("refuses malformed filters and pages with 400 in the error shape", async () => {
    const cases: [string, string | null][] = [
      ["limit=0", "limit"],
      ["limit=1001", "limit"],
      ["offset=-1", "offset"],
      ["model_id=abc", "model_id"],
      ["status=done", "status"],
      ["start_date=yesterday", "start_date"],
      ["end_date=2026-13-45", "end_date"],
      ["start_date=2026-02-01&end_date=2026-01-01", "start_date"],
    ];
    for (const [query, param] of cases) {
      const response = await call(`/admin/monitoring/chat-requests?${query}`, admin);
      expect(response.status, query).toBe(400);
      const body = await errorOf(response);
      expect(body.error.type, query).toBe("invalid_request_error");
      expect(body.error.param, query).toBe(param);
    }
  });
});

describe("GET /admin/monitoring/chat-requests/summary", () => {
  it("sums and averages the matching rows in SQL", async () => {
    const body = await get<{ summary: Record<string, unknown>; cached: boolean; filters: Record<string, unknown> }>(
      `/admin/monitoring/chat-requests/summary?user_id=${s.alice.userId}`,
    );
    expect(body.cached).toBe(false);
    expect(body.summary).toMatchObject({
      total_requests: 6,
      completed_requests: 5,
      failed_requests: 1,
      total_input_tokens: 356,
      total_output_tokens: 176,
      total_tokens: 532,
      avg_input_tokens: 59.33,
      avg_output_tokens: 29.33,
      avg_processing_time_ms: 1101.67,
      p50_processing_time_ms: 750,
      p95_processing_time_ms: 2750,
      success_rate: 83.33,
      total_cost_usd: 0.003833334,
    });
    expect(body.summary.first_request_at).toBe((await list("limit=1&offset=5")).data[0]?.created_at);
  });

  it("applies the filters and answers zeros for no rows", async () => {
    const completed = await get<{ summary: Record<string, unknown> }>(
      `/admin/monitoring/chat-requests/summary?user_id=${s.alice.userId}&status=completed&model_id=${s.modelA}`,
    );
    expect(completed.summary).toMatchObject({
      total_requests: 3,
      failed_requests: 0,
      success_rate: 100,
      total_cost_usd: 0.003500001,
    });
    const none = await get<{ summary: Record<string, unknown> }>(
      "/admin/monitoring/chat-requests/summary?user_id=2147483000",
    );
    expect(none.summary).toMatchObject({
      total_requests: 0,
      total_tokens: 0,
      avg_processing_time_ms: 0,
      success_rate: 0,
      total_cost_usd: 0,
      first_request_at: null,
      last_request_at: null,
    });
    expect((await call("/admin/monitoring/chat-requests/summary?provider_id=0", admin)).status).toBe(400);
  });
});

describe("GET /admin/monitoring/chat-requests/plot-data", () => {
  interface Plot {
    recent_requests: Row[];
    plot_data: { tokens: number[]; latency: (number | null)[]; timestamps: string[] };
    metadata: Record<string, unknown>;
  }

  it("returns the newest 10 and a bounded window of chart points, oldest first", async () => {
    const newest = await get<Plot>(`/admin/monitoring/chat-requests/plot-data?user_id=${s.alice.userId}&limit=3`);
    expect(newest.recent_requests.map((row) => row.request_id)).toEqual([...s.aliceRows].reverse());
    expect(newest.plot_data.tokens).toEqual([60, 10, 2]);
    expect(newest.plot_data.latency).toEqual([2000, 100, 10]);
    expect(newest.plot_data.timestamps).toHaveLength(3);
    expect([...newest.plot_data.timestamps].sort()).toEqual(newest.plot_data.timestamps);
    expect(newest.metadata).toMatchObject({ recent_count: 6, total_count: 6, plot_count: 3, has_more: true });
    const older = await get<Plot>(
      `/admin/monitoring/chat-requests/plot-data?user_id=${s.alice.userId}&limit=3&offset=3`,
    );
    expect(older.plot_data.tokens).toEqual([150, 300, 10]);
    expect(older.metadata).toMatchObject({ has_more: false, compression: "arrays", format_version: "1.0" });
  });

  it("applies provider_id to the recent list and the arrays alike", async () => {
    const other = await get<Plot>(
      `/admin/monitoring/chat-requests/plot-data?user_id=${s.alice.userId}&provider_id=${s.p2.id}`,
    );
    expect(other.recent_requests).toEqual([]);
    expect(other.plot_data.tokens).toEqual([]);
    expect(other.metadata).toMatchObject({ total_count: 0, plot_count: 0 });
    expect((await call("/admin/monitoring/chat-requests/plot-data?limit=1001", admin)).status).toBe(400);
  });
});

describe("GET /admin/monitoring/chat-requests/by-api-key", () => {
  const byKey = (query: string) => `/admin/monitoring/chat-requests/by-api-key?${query}`;

  it("finds a key's requests by the full key (hashed) and pages them", async () => {
    const key = encodeURIComponent(s.alice.apiKey);
    const response = await call(byKey(`api_key=${key}&limit=2`), admin);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain(s.alice.apiKey);
    const body = JSON.parse(text) as {
      requests: Row[];
      total_count: number;
      api_key_info: Record<string, unknown>;
      pagination: Record<string, unknown>;
      summary?: unknown;
    };
    expect(body.total_count).toBe(3);
    expect(body.requests.map((row) => row.request_id)).toEqual([s.aliceRows[3], s.aliceRows[1]]);
    expect(body.api_key_info).toMatchObject({ id: s.alice.apiKeyId, user_id: s.alice.userId, is_active: true });
    expect(s.alice.apiKey.startsWith(String(body.api_key_info.key_prefix))).toBe(true);
    expect(body.pagination).toEqual({
      limit: 2,
      offset: 0,
      has_more: true,
      current_page: 1,
      total_pages: 2,
      next_offset: 2,
      prev_offset: null,
    });
    expect(body.summary).toBeUndefined();
    const rest = await get<{ requests: Row[]; pagination: Record<string, unknown>; summary: Record<string, unknown> }>(
      byKey(`api_key=${key}&limit=2&offset=2&include_summary=true`),
    );
    expect(rest.requests.map((row) => row.request_id)).toEqual([s.aliceRows[0]]);
    expect(rest.pagination).toMatchObject({ has_more: false, current_page: 2, next_offset: null, prev_offset: 0 });
    expect(rest.summary).toMatchObject({ total_requests: 3, total_cost_usd: 0.003833333, total_input_tokens: 340 });
  });

  it("answers 404 for an unknown key and 400 without one", async () => {
    const unknown = await call(byKey("api_key=gw_live_not_a_real_key_0000000000"), admin);
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).error.code).toBe("api_key_not_found");
    const missing = await call(byKey(""), admin);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).error.param).toBe("api_key");
    expect((await call(byKey(`api_key=${encodeURIComponent(s.alice.apiKey)}&limit=5000`), admin)).status).toBe(400);
  });
});
