// The request-log part of /metrics: the rollup's sums (per provider, model, status and http_status)
// folded into the seed's metric families. Labels: provider, model (the upstream model id; the requested
// one when no provider was reached), status (completed|failed), http_status, token_type.
import { durationBucketsMs, firstChunkBucketsMs } from "../db/monitoring-metrics";
import { formatUsd } from "../lib/money";
import { type Exposition, trimDecimal } from "./metrics-exposition";
import type { Rollup } from "./metrics-rollup";

export function writeRequestLog(out: Exposition, rollup: Rollup): void {
  const series = [...rollup.series.values()].sort(
    (a, b) =>
      a.provider.localeCompare(b.provider) ||
      a.model.localeCompare(b.model) ||
      a.status.localeCompare(b.status) ||
      a.httpStatus - b.httpStatus,
  );
  // Rows differing only in http_status fold into one {provider, model, status} series.
  const fold = <T>(
    key: (row: (typeof series)[number]) => string,
    init: () => T,
    add: (into: T, row: (typeof series)[number]) => void,
  ) => {
    const folded = new Map<string, T>();
    for (const row of series) {
      const id = key(row);
      let entry = folded.get(id);
      if (!entry) {
        entry = init();
        folded.set(id, entry);
      }
      add(entry, row);
    }
    return folded;
  };
  const byStatus = fold(
    (row) => JSON.stringify([row.provider, row.model, row.status]),
    () => ({
      labels: { provider: "", model: "", status: "" },
      requests: 0,
      count: 0,
      sumMs: 0,
      buckets: durationBucketsMs.map(() => 0),
    }),
    (entry, row) => {
      entry.labels = { provider: row.provider, model: row.model, status: row.status };
      entry.requests += row.requests;
      entry.count += row.duration.count;
      entry.sumMs += row.duration.sumMs;
      entry.buckets = entry.buckets.map((value, index) => value + (row.duration.buckets[index] ?? 0));
    },
  );
  const byModel = fold(
    (row) => JSON.stringify([row.provider, row.model]),
    () => ({
      labels: { provider: "", model: "" },
      tokens: { prompt: 0, completion: 0, cached: 0, cache_write: 0, reasoning: 0 },
      costNanos: 0n,
      firstChunk: { count: 0, sumMs: 0, buckets: firstChunkBucketsMs.map(() => 0) },
    }),
    (entry, row) => {
      entry.labels = { provider: row.provider, model: row.model };
      entry.tokens.prompt += row.promptTokens;
      entry.tokens.completion += row.completionTokens;
      entry.tokens.cached += row.cachedTokens;
      entry.tokens.cache_write += row.cacheWriteTokens;
      entry.tokens.reasoning += row.reasoningTokens;
      entry.costNanos += row.costNanos;
      entry.firstChunk = {
        count: entry.firstChunk.count + row.firstChunk.count,
        sumMs: entry.firstChunk.sumMs + row.firstChunk.sumMs,
        buckets: entry.firstChunk.buckets.map((value, index) => value + (row.firstChunk.buckets[index] ?? 0)),
      };
    },
  );

  out.family(
    "model_inference_requests_total",
    "counter",
    "Inference requests in the request log, by provider, upstream model and outcome (completed|failed)",
  );
  for (const entry of byStatus.values()) out.sample("model_inference_requests_total", entry.labels, entry.requests);

  out.family(
    "model_inference_failures_total",
    "counter",
    "Failed inference requests by the HTTP status the client got (502 provider error, 503 gate/circuit, 504 upstream timeout, 4xx client or upstream refusal)",
  );
  for (const row of series) {
    if (row.status !== "failed") continue;
    out.sample(
      "model_inference_failures_total",
      { provider: row.provider, model: row.model, http_status: String(row.httpStatus) },
      row.requests,
    );
  }

  out.family(
    "model_inference_duration_seconds",
    "histogram",
    "Total duration of inference requests (received to last byte), from the request log's latency_ms",
  );
  for (const entry of byStatus.values()) {
    if (entry.count > 0) out.histogram("model_inference_duration_seconds", entry.labels, durationBucketsMs, entry);
  }

  out.family(
    "model_inference_time_to_first_chunk_seconds",
    "histogram",
    "Time from receiving a streamed request to its first chunk (time_to_first_token_ms)",
  );
  for (const entry of byModel.values()) {
    if (entry.firstChunk.count > 0)
      out.histogram("model_inference_time_to_first_chunk_seconds", entry.labels, firstChunkBucketsMs, entry.firstChunk);
  }

  out.family(
    "tokens_used_total",
    "counter",
    "Tokens by type; cached and cache_write are part of prompt, reasoning part of completion",
  );
  for (const entry of byModel.values()) {
    for (const [type, value] of Object.entries(entry.tokens)) {
      out.sample("tokens_used_total", { ...entry.labels, token_type: type }, value);
    }
  }

  out.family("api_cost_usd_total", "counter", "USD charged for inference (catalog prices), summed exactly in SQL");
  for (const entry of byModel.values()) {
    out.sample("api_cost_usd_total", entry.labels, trimDecimal(formatUsd(entry.costNanos)));
  }

  const attempts = [...rollup.attempts.values()].sort(
    (a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model) || a.status - b.status,
  );
  out.family(
    "upstream_attempt_failures_total",
    "counter",
    "Failed upstream attempts (including those retried or failed over before an answer), by the attempt's HTTP status",
  );
  for (const row of attempts) {
    out.sample(
      "upstream_attempt_failures_total",
      { provider: row.provider, model: row.model, http_status: String(row.status) },
      row.failures,
    );
  }
  const timeouts = new Map<string, { provider: string; model: string; failures: number }>();
  for (const row of attempts) {
    if (row.status !== 504 && row.status !== 408) continue;
    const key = JSON.stringify([row.provider, row.model]);
    const known = timeouts.get(key);
    timeouts.set(key, { provider: row.provider, model: row.model, failures: (known?.failures ?? 0) + row.failures });
  }
  out.family(
    "upstream_timeouts_total",
    "counter",
    "Upstream attempts that timed out: no response headers within UPSTREAM_TIMEOUT_MS (504), or the upstream's own 408/504",
  );
  for (const row of timeouts.values()) {
    out.sample("upstream_timeouts_total", { provider: row.provider, model: row.model }, row.failures);
  }
}
