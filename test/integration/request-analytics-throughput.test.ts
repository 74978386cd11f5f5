// The public tokens-per-second metrics (Prometheus text): the value, the windows, the models the
// windowed metric serves, validation, and that the chat routes' auth does not swallow these paths.
import { beforeAll, describe, expect, it } from "vitest";
import { call, errorOf } from "../support/gateway";
import { buildScenario, type Scenario } from "../support/request-analytics-fixtures";

let s: Scenario;

beforeAll(async () => {
  s = await buildScenario();
});

const metric = (query: string, all = false) =>
  call(`/v1/chat/completions/metrics/tokens-per-second${all ? "/all" : ""}?${query}`);

/** The one sample line, if any. */
function sampleOf(text: string): string | undefined {
  return text.split("\n").find((line) => line.startsWith("gateway_tokens_per_second{"));
}

describe("GET /v1/chat/completions/metrics/tokens-per-second", () => {
  it("is public and answers Prometheus text for a recent window", async () => {
    const response = await metric(`time=hour&model_id=${s.modelA}&provider_id=${s.p1.slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("# TYPE gateway_tokens_per_second gauge");
    expect(text).toContain("# Time range: hour");
    expect(text).toContain("# Filtered to: top 3 models + minimum 1 per provider");
    // Alice's completed A rows of the last hour: (150 + 300 + 2) tokens over (1 + 3 + 0.01) s; the failed one is left out.
    expect(sampleOf(text)).toBe(
      `gateway_tokens_per_second{model="alpha-model",provider="${s.p1.slug}",requests="3",total_tokens="452"} 112.72`,
    );
  });

  it("widens with the window: a week includes bob's request of two days ago", async () => {
    const text = await (await metric(`time=week&model_id=${s.modelA}&provider_id=${s.p1.slug}`)).text();
    expect(text).toContain("# Time range: week");
    // (452 + 1000) tokens over (4.01 + 1) s.
    expect(sampleOf(text)).toBe(
      `gateway_tokens_per_second{model="alpha-model",provider="${s.p1.slug}",requests="4",total_tokens="1452"} 289.82`,
    );
  });

  it("serves only the top 3 models and each provider's top model (403 otherwise)", async () => {
    // B has one completed request: behind A at its provider and behind p2's three models (two each).
    const refused = await metric(`time=month&model_id=${s.modelB}&provider_id=${s.p1.slug}`);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).error.code).toBe("model_not_in_metric_set");
    const unknown = await metric(`time=month&model_id=2147483000&provider_id=${s.p1.slug}`);
    expect(unknown.status).toBe(403);
    // Each provider keeps at least its most-requested model.
    const p2Top = await metric(`time=1year&model_id=${s.p2Models[0]}&provider_id=${s.p2.slug}`);
    expect(p2Top.status).toBe(200);
  });

  it("says so when the provider does not match the model, and validates the query", async () => {
    const mismatch = await (await metric(`time=2year&model_id=${s.modelA}&provider_id=${s.p2.slug}`)).text();
    expect(mismatch).toContain("# No data available");
    expect(sampleOf(mismatch)).toBeUndefined();
    const cases: [string, string][] = [
      [`time=day&model_id=${s.modelA}&provider_id=${s.p1.slug}`, "time"],
      [`model_id=${s.modelA}&provider_id=${s.p1.slug}`, "time"],
      [`time=hour&provider_id=${s.p1.slug}`, "model_id"],
      [`time=hour&model_id=${s.modelA}`, "provider_id"],
    ];
    for (const [query, param] of cases) {
      const response = await metric(query);
      expect(response.status, query).toBe(400);
      expect((await errorOf(response)).error.param, query).toBe(param);
    }
  });
});

describe("GET /v1/chat/completions/metrics/tokens-per-second/all", () => {
  it("serves any model, all time", async () => {
    const response = await metric(`model_id=${s.modelB}&provider_id=${s.p1.slug}`, true);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("# Time range: all");
    expect(text).not.toContain("# Filtered to");
    // 60 tokens in 2 s.
    expect(sampleOf(text)).toBe(
      `gateway_tokens_per_second{model="beta-model",provider="${s.p1.slug}",requests="1",total_tokens="60"} 30`,
    );
    const a = await (await metric(`model_id=${s.modelA}&provider_id=${s.p1.slug}`, true)).text();
    expect(sampleOf(a)).toContain('requests="4",total_tokens="1452"} 289.82');
  });

  it("answers 200 with no sample for a model without requests", async () => {
    const response = await metric(`model_id=2147483000&provider_id=${s.p1.slug}`, true);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("# No data available");
    expect((await metric(`model_id=x&provider_id=${s.p1.slug}`, true)).status).toBe(400);
  });
});
