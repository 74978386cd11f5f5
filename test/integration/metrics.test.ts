// GET /metrics: Prometheus text read by a strict parser (below), compared with the request-log rows this
// file writes under provider names no other test uses, with breaker and gate Durable Objects it sets
// up, and with the shared HTTP counters. The database and Redis are shared with files running in
// parallel, so every assertion looks only at series this file created (or at exact deltas of them).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { Env } from "../../src/env";
import { addSums, boundaryAt, requestLogTotals, SETTLE_MS } from "../../src/operations/metrics-rollup";
import { execute, registerAccount, uniqueName, withDatabase } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { eventually } from "../support/eventually";
import { call, errorOf, origin } from "../support/gateway";
import { logRequest } from "../support/request-analytics-fixtures";

// ---------------------------------------------------------------------------------------------
// A strict reader of the text exposition format 0.0.4 (what Prometheus' own text parser enforces):
// HELP/TYPE at most once per family and before its samples, families contiguous, valid metric and
// label names, only \\ \" \n escapes, float values, no duplicate series, histograms with ascending
// cumulative buckets ending in +Inf equal to _count.
// ---------------------------------------------------------------------------------------------
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The value exactly as written. */
  raw: string;
}
interface Family {
  type: string;
  help: string | undefined;
  samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const floatValue = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;

function parseSampleLine(line: string): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error(`bad metric name: ${line}`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    rest = rest.slice(1);
    while (!rest.startsWith("}")) {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(rest);
      if (!label?.[1] || !labelName.test(label[1])) throw new Error(`bad label in: ${line}`);
      if (label[1] in labels) throw new Error(`duplicate label ${label[1]}: ${line}`);
      rest = rest.slice(label[0].length);
      let value = "";
      for (;;) {
        const char = rest[0];
        if (char === undefined) throw new Error(`unterminated label value: ${line}`);
        rest = rest.slice(1);
        if (char === '"') break;
        if (char === "\\") {
          const escaped = rest[0];
          rest = rest.slice(1);
          if (escaped === "\\") value += "\\";
          else if (escaped === '"') value += '"';
          else if (escaped === "n") value += "\n";
          else throw new Error(`bad escape in: ${line}`);
        } else if (char === "\n") {
          throw new Error(`raw newline in label value: ${line}`);
        } else {
          value += char;
        }
      }
      labels[label[1]] = value;
      if (rest.startsWith(",")) rest = rest.slice(1);
      else if (!rest.startsWith("}")) throw new Error(`expected , or } in: ${line}`);
    }
    rest = rest.slice(1);
  }
  const parts = rest.split(" ");
  if (parts[0] !== "" || parts.length < 2 || parts.length > 3) throw new Error(`bad sample line: ${line}`);
  const raw = parts[1] ?? "";
  if (!floatValue.test(raw)) throw new Error(`bad value in: ${line}`);
  if (parts[2] !== undefined && !/^-?\d+$/.test(parts[2])) throw new Error(`bad timestamp in: ${line}`);
  const value = raw.endsWith("Inf") ? (raw.startsWith("-") ? -Infinity : Infinity) : Number(raw);
  return { name, labels, value, raw };
}

function familyOf(sampleName: string, families: Map<string, Family>): string {
  if (families.has(sampleName)) return sampleName;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const base = sampleName.slice(0, -suffix.length);
    if (sampleName.endsWith(suffix) && families.get(base)?.type === "histogram") return base;
  }
  throw new Error(`sample ${sampleName} has no TYPE line`);
}

const seriesKey = (sample: Sample) =>
  `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b)))}`;

function parsePrometheus(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("exposition must end with a newline");
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  let current: string | undefined;
  const seen = new Set<string>();
  const enter = (name: string) => {
    if (current === name) return;
    if (closed.has(name)) throw new Error(`family ${name} is not contiguous`);
    if (current !== undefined) closed.add(current);
    current = name;
  };
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (meta) {
      const [, kind, name = "", rest = ""] = meta;
      if (!metricName.test(name)) throw new Error(`bad metric name: ${line}`);
      enter(name);
      const family = families.get(name) ?? { type: "untyped", help: undefined, samples: [] };
      families.set(name, family);
      if (family.samples.length > 0) throw new Error(`${kind} after samples of ${name}`);
      if (kind === "HELP") {
        if (family.help !== undefined) throw new Error(`second HELP for ${name}`);
        family.help = rest;
      } else {
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest))
          throw new Error(`bad TYPE: ${line}`);
        family.type = rest;
      }
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = parseSampleLine(line);
    const name = familyOf(sample.name, families);
    enter(name);
    const key = seriesKey(sample);
    if (seen.has(key)) throw new Error(`duplicate series: ${line}`);
    seen.add(key);
    families.get(name)?.samples.push(sample);
  }
  for (const [name, family] of families) {
    if (family.type !== "histogram") continue;
    const series = new Map<string, Sample[]>();
    for (const sample of family.samples) {
      const { le: _le, ...rest } = sample.labels;
      const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
      series.set(key, [...(series.get(key) ?? []), sample]);
    }
    for (const samples of series.values()) {
      const buckets = samples.filter((sample) => sample.name === `${name}_bucket`);
      const count = samples.find((sample) => sample.name === `${name}_count`);
      if (!count || !samples.some((sample) => sample.name === `${name}_sum`))
        throw new Error(`${name} lacks _sum/_count`);
      const bounds = buckets.map((bucket) => Number(bucket.labels.le === "+Inf" ? Infinity : bucket.labels.le));
      if (bounds.at(-1) !== Infinity) throw new Error(`${name} lacks a +Inf bucket`);
      for (let index = 1; index < buckets.length; index++) {
        if (!((bounds[index] ?? 0) > (bounds[index - 1] ?? 0))) throw new Error(`${name} buckets not ascending`);
        if ((buckets[index]?.value ?? 0) < (buckets[index - 1]?.value ?? 0)) throw new Error(`${name} not cumulative`);
      }
      if (buckets.at(-1)?.value !== count.value) throw new Error(`${name}: +Inf bucket differs from _count`);
    }
  }
  return families;
}

/** The samples of a family (or a histogram's _bucket/_sum/_count) whose labels include `match`. */
function samplesOf(families: Map<string, Family>, name: string, match: Record<string, string> = {}): Sample[] {
  const family = families.get(name.replace(/_(bucket|sum|count)$/, "")) ?? families.get(name);
  return (family?.samples ?? []).filter(
    (sample) => sample.name === name && Object.entries(match).every(([label, value]) => sample.labels[label] === value),
  );
}

function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string>): number | undefined {
  const found = samplesOf(families, name, labels);
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} series`);
  return found[0]?.value;
}

async function scrape(bindings: Partial<Env> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(new Request(`${origin}/metrics`, { headers }), { ...env, ...bindings }, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, response);
}

async function metrics(): Promise<{ text: string; families: Map<string, Family> }> {
  const response = await call("/metrics");
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, families: parsePrometheus(text) };
}

// ---------------------------------------------------------------------------------------------

// The first call into the Worker loads the whole app (seconds, cold): done here, under the hook's longer timeout.
beforeAll(async () => {
  await call("/health");
});

describe("GET /metrics: the request log", () => {
  it("parses strictly and matches the rows written: requests, failures, tokens, exact cost, histograms, timeouts", async () => {
    const provider = `metrics-${uniqueName("p").replaceAll("_", "-")}`;
    const account = await registerAccount();
    const on = (model: string) => ({ provider, upstreamModel: model, requestedModel: `${provider}/${model}` });
    await logRequest({
      ...on("alpha"),
      userId: account.userId,
      promptTokens: 100,
      completionTokens: 40,
      cachedTokens: 30,
      cost: "0.001",
      latencyMs: 80,
    });
    await logRequest({
      ...on("alpha"),
      userId: account.userId,
      promptTokens: 200,
      completionTokens: 60,
      reasoningTokens: 20,
      cost: "0.0025",
      latencyMs: 1_200,
      stream: true,
      timeToFirstTokenMs: 300,
    });
    await logRequest({
      ...on("alpha"),
      userId: account.userId,
      promptTokens: 1,
      completionTokens: 1,
      cacheWriteTokens: 1,
      cost: "0.000000001",
      latencyMs: 150_000,
    });
    await logRequest({
      ...on("alpha"),
      userId: account.userId,
      status: "failed",
      httpStatus: 504,
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: 400,
      attempts: [
        { provider, model: "alpha", status: 504, reason: "did not answer within 200 ms" },
        { provider, model: "alpha", status: 504, reason: "did not answer within 200 ms" },
      ],
    });
    await logRequest({
      ...on("beta"),
      userId: account.userId,
      promptTokens: 5,
      completionTokens: 5,
      cost: "0",
      latencyMs: 10,
      attempts: [{ provider, model: "alpha", status: 500, reason: "HTTP 500" }],
    });

    const { text, families } = await metrics();
    const alpha = { provider, model: "alpha" };
    expect(sampleValue(families, "model_inference_requests_total", { ...alpha, status: "completed" })).toBe(3);
    expect(sampleValue(families, "model_inference_requests_total", { ...alpha, status: "failed" })).toBe(1);
    expect(
      sampleValue(families, "model_inference_requests_total", { provider, model: "beta", status: "completed" }),
    ).toBe(1);
    expect(sampleValue(families, "model_inference_failures_total", { ...alpha, http_status: "504" })).toBe(1);
    const tokens = (type: string) => sampleValue(families, "tokens_used_total", { ...alpha, token_type: type });
    expect([
      tokens("prompt"),
      tokens("completion"),
      tokens("cached"),
      tokens("cache_write"),
      tokens("reasoning"),
    ]).toEqual([301, 101, 30, 1, 20]);
    // The cost is the exact decimal sum, written from SQL's numeric (no float accumulation).
    expect(text).toContain(`api_cost_usd_total{provider="${provider}",model="alpha"} 0.003500001\n`);
    expect(sampleValue(families, "api_cost_usd_total", { provider, model: "beta" })).toBe(0);

    const completed = { ...alpha, status: "completed" };
    const bucket = (le: string) =>
      sampleValue(families, "model_inference_duration_seconds_bucket", { ...completed, le });
    expect([bucket("0.1"), bucket("1"), bucket("2.5"), bucket("120"), bucket("+Inf")]).toEqual([1, 1, 2, 2, 3]);
    expect(sampleValue(families, "model_inference_duration_seconds_sum", completed)).toBeCloseTo(151.28, 6);
    expect(sampleValue(families, "model_inference_duration_seconds_count", { ...alpha, status: "failed" })).toBe(1);
    const ttfc = (le: string) =>
      sampleValue(families, "model_inference_time_to_first_chunk_seconds_bucket", { ...alpha, le });
    expect([ttfc("0.25"), ttfc("0.5"), ttfc("+Inf")]).toEqual([0, 1, 1]);
    expect(sampleValue(families, "model_inference_time_to_first_chunk_seconds_sum", alpha)).toBe(0.3);

    expect(sampleValue(families, "upstream_timeouts_total", alpha)).toBe(2);
    expect(sampleValue(families, "upstream_attempt_failures_total", { ...alpha, http_status: "504" })).toBe(2);
    expect(sampleValue(families, "upstream_attempt_failures_total", { ...alpha, http_status: "500" })).toBe(1);
    // 5 requests in the last 15 minutes, 1 server error (e = 0.2 → 42 points), p95 response time far
    // above 30 s (the 150 s request) → 0 points.
    expect(sampleValue(families, "provider_health_score", { provider })).toBe(42);
    expect(families.get("model_inference_requests_total")?.type).toBe("counter");
    expect(families.get("model_inference_duration_seconds")?.type).toBe("histogram");

    // The same figures straight from the table.
    const [fromSql] = await execute(sql`select count(*)::int as requests, sum(prompt_tokens)::int as prompt,
      sum(cost_usd)::text as cost from chat_completion_requests where provider = ${provider} and upstream_model = 'alpha'`);
    const requests = samplesOf(families, "model_inference_requests_total", alpha).reduce((sum, s) => sum + s.value, 0);
    expect(requests).toBe(fromSql?.requests);
    expect(tokens("prompt")).toBe(fromSql?.prompt);
    expect(Number(fromSql?.cost)).toBe(sampleValue(families, "api_cost_usd_total", alpha));
  });

  it("counts a row written after a scrape on the next one (counters only grow)", async () => {
    const provider = `metrics-${uniqueName("q").replaceAll("_", "-")}`;
    const labels = { provider, model: "gamma", status: "completed" };
    await logRequest({ provider, upstreamModel: "gamma", userId: null, cost: "0.25" });
    const before = await metrics();
    expect(sampleValue(before.families, "model_inference_requests_total", labels)).toBe(1);
    await logRequest({ provider, upstreamModel: "gamma", userId: null, cost: "0.5" });
    const after = await metrics();
    expect(sampleValue(after.families, "model_inference_requests_total", labels)).toBe(2);
    expect(sampleValue(after.families, "api_cost_usd_total", { provider, model: "gamma" })).toBe(0.75);
  });

  it("cached final totals plus the recent rows equal the totals summed in one pass", async () => {
    const provider = `metrics-${uniqueName("r").replaceAll("_", "-")}`;
    // One row now, two dated before any boundary: the same series is split between the cached part
    // and the recent rows, and must add up. (Dating rows back is only safe here, with a cache key of
    // this test's own: the gateway's own cache assumes rows are never re-dated.)
    await logRequest({ provider, upstreamModel: "delta", userId: null, cost: "0.1" });
    await logRequest({ provider, upstreamModel: "delta", userId: null, cost: "0.2", minutesAgo: 30 });
    await logRequest({
      provider,
      upstreamModel: "delta",
      userId: null,
      cost: "0.3",
      minutesAgo: 60,
      attempts: [{ provider, model: "delta", status: 504, reason: "t" }],
    });
    await logRequest({
      provider,
      upstreamModel: "delta",
      userId: null,
      cost: "0",
      attempts: [{ provider, model: "delta", status: 504, reason: "t" }],
    });
    const mine = (rollup: Awaited<ReturnType<typeof requestLogTotals>>) => ({
      series: [...rollup.series.values()]
        .filter((series) => series.provider === provider)
        .map((series) => ({
          requests: series.requests,
          cost: series.costNanos,
          prompt: series.promptTokens,
          count: series.duration.count,
        })),
      attempts: [...rollup.attempts.values()].filter((row) => row.provider === provider).map((row) => row.failures),
    });
    const expected = { series: [{ requests: 4, cost: 600_000_000n, prompt: 40, count: 4 }], attempts: [2] };
    const now = Date.now();
    const key = `test-${crypto.randomUUID()}`;
    await withDatabase(async (db) => {
      // Split: the two old rows in the cached part, the two new ones read as recent.
      expect(mine(await requestLogTotals(db, key, now))).toEqual(expected);
      // The boundary moves past the new rows: the cached part is extended by the rows in between.
      expect(mine(await requestLogTotals(db, key, now + 20 * 60_000))).toEqual(expected);
      // A cache of its own, filled in one pass.
      expect(mine(await requestLogTotals(db, `${key}-fresh`, now + 40 * 60_000))).toEqual(expected);
    });
    expect(boundaryAt(now)).toBeLessThanOrEqual(now - SETTLE_MS);
    expect(boundaryAt(now)).toBeGreaterThan(now - SETTLE_MS - 10 * 60_000);
    // addSums never changes the rollup it extends (a cached one).
    const base = addSums(
      { series: new Map(), attempts: new Map() },
      { series: [], attemptFailures: [{ provider, model: "m", status: 504, failures: 1 }] },
    );
    addSums(base, { series: [], attemptFailures: [{ provider, model: "m", status: 504, failures: 2 }] });
    expect([...base.attempts.values()].map((row) => row.failures)).toEqual([1]);
  });
});

describe("GET /metrics: upstream timeout", () => {
  it("an upstream slower than UPSTREAM_TIMEOUT_MS is a 504 provider_timeout, counted as a failed request and two timed-out attempts", async () => {
    const account = await registerAccount();
    const model = `fixture:openai/chat-completion-text?headers_after=1500&case=${uniqueName("metrics-timeout")}`;
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request(`${origin}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${account.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: `deepseek/${model}`, messages: [{ role: "user", content: "x" }] }),
      }),
      { ...env, UPSTREAM_TIMEOUT_MS: "200" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(504);
    expect((await errorOf(response)).error).toMatchObject({
      code: "provider_timeout",
      message: "Provider 'deepseek' did not answer within 200 ms",
    });
    const labels = { provider: "deepseek", model };
    await eventually(async () => {
      const { families } = await metrics();
      expect(sampleValue(families, "model_inference_requests_total", { ...labels, status: "failed" })).toBe(1);
      expect(
        sampleValue(families, "model_inference_requests_total", { ...labels, status: "completed" }),
      ).toBeUndefined();
      expect(sampleValue(families, "model_inference_failures_total", { ...labels, http_status: "504" })).toBe(1);
      // One retry on the same provider: both attempts timed out.
      expect(sampleValue(families, "upstream_timeouts_total", labels)).toBe(2);
    });
  });
});

describe("GET /metrics: shared state", () => {
  it("counts HTTP requests in Upstash by method, route pattern and status, off the response path; /metrics itself is not counted", async () => {
    // Only this test calls /api/monitoring/error-rates with a malformed query.
    const labels = { method: "GET", route: "/api/monitoring/error-rates", status: "400" };
    const before = sampleValue((await metrics()).families, "http_requests_total", labels) ?? 0;
    for (let index = 0; index < 3; index++) {
      const refused = await call(`/api/monitoring/error-rates?hours=lots&n=${index}`, { key: TEST_ADMIN_API_KEY });
      expect(refused.status).toBe(400);
    }
    const notFound = await call(`/no-such-route/${crypto.randomUUID()}`);
    expect(notFound.status).toBe(404);
    const { families } = await eventually(async () => {
      const scraped = await metrics();
      expect(sampleValue(scraped.families, "http_requests_total", labels)).toBe(before + 3);
      return scraped;
    });
    const routes = samplesOf(families, "http_requests_total").map((sample) => sample.labels.route);
    expect(routes).toContain("unmatched");
    expect(routes).not.toContain("/metrics");
    expect(routes.some((route) => route?.startsWith("/no-such-route"))).toBe(false);
    expect(families.get("http_requests_total")?.type).toBe("counter");
    const count = sampleValue(families, "http_request_duration_seconds_count", { method: "GET", route: labels.route });
    expect(count).toBeGreaterThanOrEqual(3);
    expect(sampleValue(families, "gateway_metrics_source_up", { source: "http_requests" })).toBe(1);
  });

  it("reads breaker states from their Durable Objects and gate gauges for gated providers", async () => {
    const provider = `metrics-${crypto.randomUUID().slice(0, 8)}`;
    const name = `provider:${provider}`;
    const model = `model:${provider}/some-model`;
    const breaker = (breakerName: string) => env.CIRCUIT_BREAKER?.getByName(breakerName);
    const gate = env.CONCURRENCY_GATE?.getByName("provider:nebius");
    const leaseId = `metrics-${crypto.randomUUID()}`;
    await gate?.acquire({ leaseId, limit: 3, queueLimit: 5, leaseTtlMs: 60_000 });
    try {
      // Retried as a whole: another file may reset every breaker in between.
      await eventually(async () => {
        for (let index = 0; index < 5; index++) await breaker(name)?.record(name, "failure", "metrics test");
        await breaker(model)?.snapshot(model);
        const response = await scrape({ NEBIUS_MAX_CONCURRENCY: "3" });
        const families = parsePrometheus(await response.text());
        expect(sampleValue(families, "circuit_breaker_current_state", { scope: "provider", provider, model: "" })).toBe(
          2,
        );
        expect(
          sampleValue(families, "circuit_breaker_current_state", { scope: "model", provider, model: "some-model" }),
        ).toBe(0);
        expect(sampleValue(families, "circuit_breaker_failure_rate", { scope: "provider", provider, model: "" })).toBe(
          1,
        );
        // No requests, but an open breaker: health 0.
        expect(sampleValue(families, "provider_health_score", { provider })).toBe(0);
        expect(sampleValue(families, "concurrency_gate_active_requests", { provider: "nebius" })).toBe(1);
        expect(sampleValue(families, "concurrency_gate_queued_requests", { provider: "nebius" })).toBe(0);
        expect(sampleValue(families, "concurrency_gate_limit", { provider: "nebius" })).toBe(3);
        // Providers without <PROVIDER>_MAX_CONCURRENCY have no gate to report.
        expect(samplesOf(families, "concurrency_gate_limit", { provider: "groq" })).toEqual([]);
      });
    } finally {
      await gate?.release(leaseId);
    }
  });

  it("with METRICS_TOKEN set, needs it as a Bearer token; the answer is Prometheus text", async () => {
    const token = `scrape-${crypto.randomUUID()}`;
    const missing = await scrape({ METRICS_TOKEN: token });
    expect(missing.status).toBe(401);
    expect((await errorOf(missing)).error.code).toBe("missing_metrics_token");
    const wrong = await scrape({ METRICS_TOKEN: token }, { authorization: `Bearer ${token}x` });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).error.code).toBe("invalid_metrics_token");
    const right = await scrape({ METRICS_TOKEN: token }, { authorization: `Bearer ${token}` });
    expect(right.status).toBe(200);
    expect(right.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parsePrometheus(await right.text());
    expect(sampleValue(families, "gateway_metrics_source_up", { source: "request_log" })).toBe(1);
    // Without the setting the endpoint is public.
    expect((await scrape()).status).toBe(200);
  });

  it("a database that cannot be reached leaves the request-log metrics out (source down), never made up; the rest still answers", async () => {
    const response = await scrape({ DATABASE_URL: "postgres://postgres@127.0.0.1:9/unreachable" });
    expect(response.status).toBe(200);
    const families = parsePrometheus(await response.text());
    expect(sampleValue(families, "gateway_metrics_source_up", { source: "request_log" })).toBe(0);
    expect(sampleValue(families, "gateway_metrics_source_up", { source: "circuit_breakers" })).toBe(1);
    expect(families.has("model_inference_requests_total")).toBe(false);
    expect(families.has("api_cost_usd_total")).toBe(false);
    expect(families.has("circuit_breaker_current_state")).toBe(true);
  });
});
