// GET /metrics: the gateway's state in Prometheus text, every figure read from shared state at scrape
// time: the request log (Postgres), the circuit breakers and concurrency gates (Durable Objects) and
// the HTTP counters (Upstash). Nothing here counts in isolate memory. A source that cannot be read is
// left out and reported as gateway_metrics_source_up{source} 0: never a stale or made-up figure, and the
// other sources still answer (breaker states matter most while the database is down).
import type { AnyDatabase } from "../db/client";
import { type OutcomeStats, outcomesByProvider } from "../db/monitoring-windows";
import type { BreakerSnapshot } from "../durable-objects/breaker-policy";
import type { GateStats } from "../durable-objects/concurrency-gate";
import type { Config, Env } from "../env";
import { readBreakerSnapshots } from "../gateway/breakers";
import { gatedProviders, providerGateName, readGateStats } from "../gateway/concurrency";
import { API_VERSION } from "../lib/version";
import { Exposition } from "./metrics-exposition";
import { type HttpCount, type HttpDuration, httpDurationBucketsMs, readHttpMetrics } from "./metrics-http";
import { writeRequestLog } from "./metrics-request-log";
import { requestLogTotals } from "./metrics-rollup";
import { healthPolicy, isConfigured, scoreProvider } from "./provider-health";

/** Breakers read per scrape at most (one Durable Object call each). */
export const MAX_BREAKERS_PER_SCRAPE = 500;
const SOURCE_TIMEOUT_MS = 10_000;

export const breakerStateValue = { closed: 0, half_open: 1, open: 2 } as const;

export interface MetricsSources {
  env: Env;
  config: Config;
  /** SQL over HTTP fits: one fetch per statement, no session to open or lose. */
  db: () => AnyDatabase;
  /** Where failures are reported besides the log (a Toucan client fits). */
  reporter?: { captureException(error: unknown): unknown };
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

async function attempt<T>(source: string, work: () => Promise<T>, sources: MetricsSources): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${SOURCE_TIMEOUT_MS} ms`)), SOURCE_TIMEOUT_MS);
    });
    const running = work();
    running.catch(() => undefined);
    return { ok: true, value: await Promise.race([running, deadline]) };
  } catch (error) {
    // The driver's message carries the whole statement: the cause says what went wrong.
    const reason = error instanceof Error && error.cause !== undefined ? String(error.cause) : String(error);
    console.error(JSON.stringify({ msg: "metrics source unavailable", source, error: reason.slice(0, 500) }));
    sources.reporter?.captureException(error);
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}

/** `provider:groq` → provider scope; `model:groq/llama-3` → model scope. */
export function breakerLabels(name: string): { scope: string; provider: string; model: string } {
  const [scope = "", rest = ""] = name.split(/:(.*)/s);
  if (scope === "model") {
    const slash = rest.indexOf("/");
    return slash === -1
      ? { scope, provider: rest, model: "" }
      : { scope, provider: rest.slice(0, slash), model: rest.slice(slash + 1) };
  }
  return { scope, provider: rest, model: "" };
}

function writeBreakers(out: Exposition, read: { snapshots: BreakerSnapshot[]; truncated: boolean }): void {
  out.family(
    "circuit_breaker_current_state",
    "gauge",
    "Circuit breaker state: 0 closed, 1 half_open, 2 open (read from each breaker's Durable Object)",
  );
  for (const snapshot of read.snapshots) {
    out.sample("circuit_breaker_current_state", breakerLabels(snapshot.name), breakerStateValue[snapshot.state]);
  }
  out.family("circuit_breaker_failure_rate", "gauge", "Failed / all requests over the breaker's rolling window (0-1)");
  for (const snapshot of read.snapshots) {
    out.sample("circuit_breaker_failure_rate", breakerLabels(snapshot.name), snapshot.failure_rate);
  }
  out.family(
    "circuit_breakers_truncated",
    "gauge",
    `1 when more than ${MAX_BREAKERS_PER_SCRAPE} breakers exist and only the first were read`,
  );
  out.sample("circuit_breakers_truncated", {}, read.truncated ? 1 : 0);
}

function writeGates(out: Exposition, gates: { provider: string; limit: number; stats: GateStats }[]): void {
  const gauges = [
    [
      "concurrency_gate_active_requests",
      "Requests holding a slot of the provider's gate",
      (gate: (typeof gates)[number]) => gate.stats.active,
    ],
    [
      "concurrency_gate_queued_requests",
      "Requests waiting for a slot of the provider's gate",
      (gate: (typeof gates)[number]) => gate.stats.queued,
    ],
    ["concurrency_gate_limit", "<PROVIDER>_MAX_CONCURRENCY", (gate: (typeof gates)[number]) => gate.limit],
  ] as const;
  for (const [name, help, value] of gauges) {
    out.family(name, "gauge", help);
    for (const gate of gates) out.sample(name, { provider: gate.provider }, value(gate));
  }
}

function writeHttp(out: Exposition, http: { counts: HttpCount[]; durations: HttpDuration[] }): void {
  out.family(
    "http_requests_total",
    "counter",
    "HTTP requests answered, by method, route pattern and status (shared counter in Upstash; /metrics excluded)",
  );
  for (const row of http.counts) {
    out.sample("http_requests_total", { method: row.method, route: row.route, status: row.status }, row.count);
  }
  out.family(
    "http_request_duration_seconds",
    "histogram",
    "Time until the response was ready (headers, for streams), by method and route pattern",
  );
  for (const row of http.durations) {
    let cumulative = 0;
    const buckets = httpDurationBucketsMs.map((_, index) => {
      cumulative += row.buckets[index] ?? 0;
      return cumulative;
    });
    const count = cumulative + (row.buckets[httpDurationBucketsMs.length] ?? 0);
    out.histogram("http_request_duration_seconds", { method: row.method, route: row.route }, httpDurationBucketsMs, {
      count,
      sumMs: row.sumMs,
      buckets,
    });
  }
}

/** provider_health_score: the monitoring API's score (see provider-health.ts) of each provider that has one. */
function writeHealth(
  out: Exposition,
  recent: OutcomeStats[],
  snapshots: BreakerSnapshot[],
  env: Env,
  environment: string,
): void {
  const breakers = new Map(
    snapshots
      .filter((snapshot) => snapshot.name.startsWith("provider:"))
      .map((snapshot) => [snapshot.name.slice("provider:".length), snapshot]),
  );
  const stats = new Map(recent.map((row) => [row.provider, row]));
  const names = [...new Set([...stats.keys(), ...breakers.keys()])].sort();
  out.family(
    "provider_health_score",
    "gauge",
    `Provider health 0-100 over the last ${healthPolicy.windowMinutes} minutes (error rate, p95 response time, breaker); absent without enough requests`,
  );
  for (const provider of names) {
    const health = scoreProvider(
      provider,
      stats.get(provider),
      breakers.get(provider),
      isConfigured(env, provider, environment),
    );
    if (health.healthScore !== null) out.sample("provider_health_score", { provider }, health.healthScore);
  }
}

async function readGates(env: Env) {
  return Promise.all(
    gatedProviders(env).map(async ({ providerId, limit }) => ({
      provider: providerId,
      limit,
      stats: await readGateStats(env, providerGateName(providerId)),
    })),
  );
}

/** The whole exposition. Never throws for a failing source (see the top of this file). */
export async function renderMetrics(sources: MetricsSources): Promise<string> {
  const { env, config } = sources;
  const healthSince = new Date(Date.now() - healthPolicy.windowMinutes * 60_000);
  const database = async () => {
    const totals = await attempt(
      "request_log",
      () => requestLogTotals(sources.db(), config.DATABASE_URL ?? ""),
      sources,
    );
    // After the totals, not beside them: a database that is down is then tried once, not twice.
    const recent: Outcome<OutcomeStats[]> = totals.ok
      ? await attempt("provider_health", () => outcomesByProvider(sources.db(), { from: healthSince }), sources)
      : { ok: false };
    return [totals, recent] as const;
  };
  const [[log, recent], breakers, gates, http] = await Promise.all([
    database(),
    attempt("circuit_breakers", () => readBreakerSnapshots(env, () => true, MAX_BREAKERS_PER_SCRAPE), sources),
    attempt("concurrency_gates", () => readGates(env), sources),
    attempt("http_requests", () => readHttpMetrics(config), sources),
  ]);
  const out = new Exposition();
  out.family("gateway_build_info", "gauge", "The running gateway: API version and RELEASE");
  out.sample("gateway_build_info", { version: API_VERSION, release: config.RELEASE ?? API_VERSION }, 1);

  const up: [string, boolean][] = [
    ["request_log", log.ok],
    // The score needs the breakers too: without them it would ignore an open breaker.
    ["provider_health", recent.ok && breakers.ok && breakers.value !== undefined],
    ["circuit_breakers", breakers.ok && breakers.value !== undefined],
    ["concurrency_gates", gates.ok],
    ["http_requests", http.ok && http.value !== undefined],
  ];
  out.family(
    "gateway_metrics_source_up",
    "gauge",
    "1 when the source was read for this scrape; 0 when it failed or is not configured (its metrics are then absent)",
  );
  for (const [source, ok] of up) out.sample("gateway_metrics_source_up", { source }, ok ? 1 : 0);

  if (log.ok) writeRequestLog(out, log.value);
  if (breakers.ok && breakers.value) {
    writeBreakers(out, breakers.value);
    if (recent.ok) writeHealth(out, recent.value, breakers.value.snapshots, env, config.ENVIRONMENT);
  }
  if (gates.ok) writeGates(out, gates.value);
  if (http.ok && http.value) writeHttp(out, http.value);
  return out.text();
}
