// The monitoring API (/api/monitoring/*): health scores, realtime stats, error rates, cost analysis,
// anomalies and the request listings, against request-log rows this file writes under provider slugs
// no other test uses (the database is shared with files running in parallel).
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { execute } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { eventually } from "../support/eventually";
import { call, errorOf } from "../support/gateway";

const admin = { key: TEST_ADMIN_API_KEY };

// The first call into the Worker loads the whole app (seconds, cold): done here, under the hook's longer timeout.
beforeAll(async () => {
  await call("/health");
});

const slug = (label: string) => `mon-${label}-${crypto.randomUUID().slice(0, 8)}`;

interface RowSpec {
  provider: string;
  model?: string;
  status?: "completed" | "failed";
  httpStatus?: number;
  latencyMs?: number | null;
  ttftMs?: number | null;
  prompt?: number;
  completion?: number;
  cost?: string;
  priced?: boolean;
  minutesAgo?: number;
}

/** Many request-log rows in one statement, dated as given (the settlement path is covered elsewhere). */
async function insertRows(rows: RowSpec[]): Promise<void> {
  const values = rows.map((row) => {
    const status = row.status ?? "completed";
    const model = row.model ?? "model-a";
    return sql`(${`mon-${crypto.randomUUID()}`}, ${`${row.provider}/${model}`}, ${row.provider}, ${model}, ${status},
      ${row.httpStatus ?? (status === "completed" ? 200 : 502)}, ${row.prompt ?? 10}, ${row.completion ?? 5},
      ${row.cost ?? "0"}::numeric, ${row.priced ?? true}, ${row.latencyMs === undefined ? 1_000 : row.latencyMs},
      ${row.ttftMs ?? null}::int, now() - make_interval(secs => ${(row.minutesAgo ?? 1) * 60}))`;
  });
  await execute(sql`insert into chat_completion_requests (request_id, requested_model, provider, upstream_model,
    status, http_status, prompt_tokens, completion_tokens, cost_usd, priced, latency_ms, time_to_first_token_ms, created_at)
    values ${sql.join(values, sql`, `)}`);
}

const times = <T>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

async function getJson<T>(path: string, options: { key?: string } = admin): Promise<T> {
  const response = await call(path, options);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

interface Health {
  provider: string;
  status: string;
  health_score: number | null;
  components: { availability: number | null; latency: number | null; breaker_cap: number | null };
  requests: number;
  server_errors: number;
  error_rate: number | null;
  p95_response_ms: number | null;
  circuit_breaker: { state: string } | null;
}

describe("GET /api/monitoring/health", () => {
  it("scores each provider from its recent error rate and p95 response time, publicly; old rows fall outside the window", async () => {
    const fine = slug("fine");
    const failing = slug("failing");
    const quiet = slug("quiet");
    await insertRows([
      ...times(10, () => ({ provider: fine, latencyMs: 3_000, ttftMs: 400 })),
      // Outside the 15-minute window: must not count.
      ...times(10, () => ({ provider: fine, status: "failed" as const, httpStatus: 502, minutesAgo: 30 })),
      // 3 server errors in 10 (e = 0.3) and completed requests at 16 s: 28 + 15 = 43.
      ...times(7, () => ({ provider: failing, latencyMs: 16_000 })),
      ...times(3, () => ({ provider: failing, status: "failed" as const, httpStatus: 502, latencyMs: 200 })),
      // A client error is not the provider's failure, but counts as a request.
      { provider: failing, status: "failed", httpStatus: 400, latencyMs: 5, model: "other" },
      ...times(3, () => ({ provider: quiet })),
    ]);

    const body = await getJson<{ status: string; providers: Health[]; method: string; summary: { providers: number } }>(
      "/api/monitoring/health",
      {},
    );
    const of = (provider: string) => body.providers.find((entry) => entry.provider === provider);
    expect(of(fine)).toMatchObject({
      status: "healthy",
      health_score: 100,
      components: { availability: 70, latency: 30, breaker_cap: null },
      requests: 10,
      server_errors: 0,
      error_rate: 0,
      p95_response_ms: 400,
      circuit_breaker: null,
    });
    // e = 3/11 → 70 × (1 − 0.2727/0.5) = 31.82; p95 of 16 000 ms → 30 × 14/28 = 15.
    expect(of(failing)).toMatchObject({
      status: "unhealthy",
      health_score: 47,
      components: { availability: 31.82, latency: 15 },
      requests: 11,
      server_errors: 3,
      error_rate: 0.2727,
      p95_response_ms: 16_000,
    });
    expect(of(quiet)).toMatchObject({ status: "unknown", health_score: null, requests: 3 });
    expect(body.method).toContain("70 × max(0, 1 − e / 0.5)");
    expect(body.summary.providers).toBe(body.providers.length);

    const one = await getJson<Health & { models: { model: string; requests: number; server_errors: number }[] }>(
      `/api/monitoring/health/${failing}`,
      {},
    );
    expect(one).toMatchObject({ provider: failing, health_score: 47 });
    expect(one.models).toEqual([
      expect.objectContaining({ model: "model-a", requests: 10, server_errors: 3 }),
      expect.objectContaining({ model: "other", requests: 1, server_errors: 0 }),
    ]);
    // A wider window takes the old failures of `fine` in.
    const wide = await getJson<Health>(`/api/monitoring/health/${fine}?window_minutes=60`, {});
    expect(wide).toMatchObject({ requests: 20, server_errors: 10, error_rate: 0.5, health_score: 30 });

    const unknown = await call(`/api/monitoring/health/${slug("nobody")}`);
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).error.code).toBe("provider_not_found");
    expect((await call("/api/monitoring/health?window_minutes=0")).status).toBe(400);
  });

  it("caps the score by the provider's breaker: open → 0, half-open → at most 50", async () => {
    const opened = slug("open");
    const probing = slug("halfopen");
    await insertRows([...times(10, () => ({ provider: opened })), ...times(10, () => ({ provider: probing }))]);
    const breaker = (name: string) => env.CIRCUIT_BREAKER?.getByName(name);
    const trip = async (provider: string) => {
      const name = `provider:${provider}`;
      for (let index = 0; index < 5; index++) await breaker(name)?.record(name, "failure", "monitoring test");
    };
    // Retried as a whole: another file may reset every breaker in between.
    await eventually(async () => {
      await trip(probing);
      // BREAKER_COOLDOWN_SECONDS is 1 in tests: after it the breaker is half-open.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await trip(opened);
      const body = await getJson<{ providers: Health[] }>("/api/monitoring/health", {});
      const of = (provider: string) => body.providers.find((entry) => entry.provider === provider);
      expect(of(opened)).toMatchObject({
        health_score: 0,
        status: "unhealthy",
        components: { availability: 70, latency: 30, breaker_cap: 0 },
        circuit_breaker: { state: "open" },
      });
      expect(of(probing)).toMatchObject({
        health_score: 50,
        status: "degraded",
        components: { breaker_cap: 50 },
        circuit_breaker: { state: "half_open" },
      });
    }, 10_000);
  });
});

describe("admin monitoring endpoints", () => {
  it("need an admin key; health does not", async () => {
    for (const path of [
      "/api/monitoring/stats/realtime",
      "/api/monitoring/error-rates",
      "/api/monitoring/cost-analysis",
      "/api/monitoring/anomalies",
      "/api/monitoring/chat-requests",
      "/api/monitoring/chat-requests/counts",
      "/api/monitoring/chat-requests/models",
    ]) {
      expect((await call(path)).status, path).toBe(401);
    }
    expect((await call("/api/monitoring/health")).status).toBe(200);
  });

  it("error rates: per provider, model and hour, with client errors, rate limits and timeouts apart", async () => {
    const provider = slug("errors");
    await insertRows([
      ...times(5, () => ({ provider })),
      { provider, status: "failed", httpStatus: 502 },
      { provider, status: "failed", httpStatus: 504, model: "model-b" },
      { provider, status: "failed", httpStatus: 400 },
      { provider, status: "failed", httpStatus: 429 },
      { provider, status: "failed", httpStatus: 502, minutesAgo: 3 * 60 },
    ]);
    type Outcome = {
      requests: number;
      failed: number;
      server_errors: number;
      client_errors: number;
      rate_limited: number;
      timeouts: number;
      error_rate: number | null;
    };
    const body = await getJson<{
      overall: Outcome;
      by_provider: (Outcome & { provider: string })[];
      by_model: (Outcome & { provider: string; model: string })[];
      hourly: { requests: number; server_errors: number }[];
    }>(`/api/monitoring/error-rates?hours=2&provider=${provider}`);
    expect(body.overall).toMatchObject({
      requests: 9,
      failed: 4,
      server_errors: 2,
      client_errors: 1,
      rate_limited: 1,
      timeouts: 1,
      error_rate: 0.2222,
    });
    expect(body.by_provider).toEqual([expect.objectContaining({ provider, requests: 9, server_errors: 2 })]);
    expect(body.by_model.map((row) => [row.model, row.requests, row.server_errors])).toEqual([
      ["model-a", 8, 1],
      ["model-b", 1, 1],
    ]);
    expect(body.hourly.reduce((sum, row) => sum + row.requests, 0)).toBe(9);
    const longer = await getJson<{ overall: Outcome }>(`/api/monitoring/error-rates?hours=4&provider=${provider}`);
    expect(longer.overall).toMatchObject({ requests: 10, server_errors: 3 });
  });

  it("cost analysis: exact totals, shares, most expensive models first, per day", async () => {
    const provider = slug("cost");
    await insertRows([
      { provider, model: "cheap", cost: "0.000000001", prompt: 100, completion: 50 },
      { provider, model: "dear", cost: "0.75", prompt: 1_000, completion: 500 },
      { provider, model: "dear", cost: "0.25", prompt: 1_000, completion: 500 },
      { provider, model: "free", cost: "0", priced: false, prompt: 10, completion: 10 },
      { provider, model: "dear", cost: "9", minutesAgo: 3 * 24 * 60 },
    ]);
    const body = await getJson<{
      total: {
        requests: number;
        cost_usd: number;
        unpriced_requests: number;
        avg_cost_per_request_usd: number;
        cost_per_1k_tokens_usd: number;
        input_tokens: number;
      };
      by_provider: { provider: string; cost_usd: number; share_percent: number }[];
      by_model: { model: string; cost_usd: number; requests: number }[];
      models_total: number;
      daily: { cost_usd: number; requests: number }[];
    }>(`/api/monitoring/cost-analysis?days=1&provider=${provider}`);
    expect(body.total).toMatchObject({ requests: 4, cost_usd: 1.000000001, unpriced_requests: 1, input_tokens: 2_110 });
    // 1.000000001 USD / 4 requests, and per 1000 of the 3 170 tokens, truncated to the nano-dollar.
    expect(body.total.avg_cost_per_request_usd).toBe(0.25);
    expect(body.total.cost_per_1k_tokens_usd).toBe(0.315457413);
    expect(body.by_provider).toEqual([
      expect.objectContaining({ provider, cost_usd: 1.000000001, share_percent: 100 }),
    ]);
    expect(body.by_model.map((row) => [row.model, row.cost_usd, row.requests])).toEqual([
      ["dear", 1, 2],
      ["cheap", 0.000000001, 1],
      ["free", 0, 1],
    ]);
    expect(body.models_total).toBe(3);
    expect(body.daily.reduce((sum, row) => sum + row.requests, 0)).toBe(4);
    const week = await getJson<{ total: { cost_usd: number; requests: number } }>(
      `/api/monitoring/cost-analysis?days=7&provider=${provider}`,
    );
    expect(week.total).toMatchObject({ cost_usd: 10.000000001, requests: 5 });
    const backwards = await call("/api/monitoring/cost-analysis?start_date=2026-02-01&end_date=2026-01-01", admin);
    expect(backwards.status).toBe(400);
  });

  it("anomalies: a provider's recent error rate or response time against its own baseline, with minimum samples", async () => {
    const erring = slug("erring");
    const slow = slug("slow");
    const steady = slug("steady");
    const sparse = slug("sparse");
    const baseline = (provider: string) =>
      times(40, (index) => ({
        provider,
        latencyMs: index % 2 === 0 ? 900 : 1_100,
        minutesAgo: 60 + index * 20,
        ...(index < 2 ? { status: "failed" as const, httpStatus: 502 } : {}),
      }));
    await insertRows([
      ...baseline(erring),
      ...times(12, (index) =>
        index < 7 ? { provider: erring, status: "failed" as const, httpStatus: 502 } : { provider: erring },
      ),
      ...baseline(slow),
      ...times(12, () => ({ provider: slow, latencyMs: 2_000, minutesAgo: 2 })),
      ...baseline(steady),
      ...times(12, (index) => ({ provider: steady, latencyMs: index % 2 === 0 ? 950 : 1_050, minutesAgo: 2 })),
      ...baseline(sparse),
      ...times(3, () => ({ provider: sparse, status: "failed" as const, httpStatus: 502 })),
    ]);
    type Signal = {
      verdict: string;
      severity: string | null;
      recent: number | null;
      baseline: number | null;
      z_score: number | null;
      recent_samples: number;
      baseline_samples: number;
    };
    const body = await getJson<{
      anomalies: ({ provider: string; signal: string } & Signal)[];
      providers: { provider: string; error_rate: Signal; response_time: Signal }[];
      method: string;
    }>("/api/monitoring/anomalies");
    const of = (provider: string) => body.providers.find((entry) => entry.provider === provider);
    // 7/12 recent errors against a smoothed 3/42 baseline.
    expect(of(erring)?.error_rate).toMatchObject({
      verdict: "anomalous",
      severity: "critical",
      recent: 0.5833,
      baseline: 0.0714,
      recent_samples: 12,
      baseline_samples: 40,
    });
    expect(of(erring)?.error_rate.z_score).toBeGreaterThan(6);
    // Twice the baseline's 1 000 ms mean: anomalous, a warning (critical from 3 ×).
    expect(of(slow)?.response_time).toMatchObject({
      verdict: "anomalous",
      severity: "warning",
      recent: 2_000,
      baseline: 1_000,
    });
    expect(of(slow)?.error_rate.verdict).toBe("normal");
    expect(of(steady)?.error_rate.verdict).toBe("normal");
    expect(of(steady)?.response_time.verdict).toBe("normal");
    expect(of(sparse)?.error_rate).toMatchObject({ verdict: "insufficient_data", recent_samples: 3 });
    const flagged = body.anomalies.filter((entry) => [erring, slow, steady, sparse].includes(entry.provider));
    expect(flagged.map((entry) => [entry.provider, entry.signal, entry.severity])).toEqual([
      [erring, "error_rate", "critical"],
      [slow, "response_time", "warning"],
    ]);
    expect(body.method).toContain("z ≥ 3");
    // The baseline window is configurable: with 1 hour, no provider here has 30 baseline requests.
    const short = await getJson<{ providers: { provider: string; error_rate: Signal }[] }>(
      "/api/monitoring/anomalies?baseline_hours=1",
    );
    expect(short.providers.find((entry) => entry.provider === erring)?.error_rate.verdict).toBe("insufficient_data");
  });

  it("realtime stats: totals, per minute and per provider over the last minutes", async () => {
    const provider = slug("live");
    await insertRows([
      { provider, cost: "0.5", prompt: 100, completion: 20, minutesAgo: 1 },
      { provider, cost: "0.25", prompt: 100, completion: 20, minutesAgo: 2 },
      { provider, status: "failed", httpStatus: 502, minutesAgo: 1 },
      { provider, cost: "7", minutesAgo: 20 },
    ]);
    const body = await getJson<{
      totals: { total_requests: number; requests_per_minute: number; tokens_per_second: number; success_rate: number };
      per_minute: { requests: number }[];
      providers: { provider: string; requests: number; failed: number; server_errors: number; cost_usd: number }[];
      concurrency: { gates: unknown[]; note: string };
    }>("/api/monitoring/stats/realtime?window_minutes=5");
    expect(body.providers.find((entry) => entry.provider === provider)).toMatchObject({
      requests: 3,
      failed: 1,
      server_errors: 1,
      cost_usd: 0.75,
    });
    expect(body.totals.total_requests).toBeGreaterThanOrEqual(3);
    expect(body.totals.requests_per_minute).toBe(Math.round((body.totals.total_requests / 5) * 100) / 100);
    expect(body.per_minute.reduce((sum, row) => sum + row.requests, 0)).toBeGreaterThanOrEqual(3);
    expect(body.concurrency.note).toContain("MAX_CONCURRENCY");
    expect((await call("/api/monitoring/stats/realtime?window_minutes=61", admin)).status).toBe(400);
  });

  it("chat-requests, counts and models: the admin request analytics under /api/monitoring", async () => {
    const provider = slug("listing");
    await insertRows([
      { provider, model: "x" },
      { provider, model: "x" },
      { provider, model: "y", status: "failed", httpStatus: 502 },
    ]);
    for (const [path, pick] of [
      ["chat-requests", (body: { metadata: { total_count: number } }) => body.metadata.total_count],
      ["chat-requests/counts", (body: { metadata: { total_requests: number } }) => body.metadata.total_requests],
      ["chat-requests/models", (body: { metadata: { total_models: number } }) => body.metadata.total_models],
    ] as const) {
      const ours = await getJson<Record<string, unknown> & { metadata: Record<string, unknown> }>(
        `/api/monitoring/${path}?provider=${provider}`,
      );
      const theirs = await getJson<Record<string, unknown> & { metadata: Record<string, unknown> }>(
        `/admin/monitoring/${path}?provider=${provider}`,
      );
      const { timestamp: _a, ...ourMetadata } = ours.metadata;
      const { timestamp: _b, ...theirMetadata } = theirs.metadata;
      expect({ ...ours, metadata: ourMetadata }).toEqual({ ...theirs, metadata: theirMetadata });
      expect((pick as (body: unknown) => number)(ours)).toBe(path === "chat-requests/models" ? 2 : 3);
    }
  });
});
