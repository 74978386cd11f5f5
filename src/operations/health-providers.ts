// A configured provider's health, from what already exists: its outcomes in the request log over the
// last PROVIDER_WINDOW_MINUTES (judged only from PROVIDER_MIN_SAMPLE outcomes up), its provider-level
// circuit breaker, and, only when the log holds too few outcomes to judge, one GET of the first page
// of its model list: a request vendors do not bill (no tokens), so idle providers are still watched
// while busy ones cost no extra request.
import type { Database } from "../db/client";
import { type ProviderOutcomes, providerOutcomes } from "../db/downtime-watch";
import type { BreakerSnapshot } from "../durable-objects/breaker-policy";
import { type Config, ConfigError, type Env } from "../env";
import { providerBreaker, readBreakerSnapshots } from "../gateway/breakers";
import { type ProviderId, providerSettings, providers } from "../providers/registry";
import type { ProviderAdapter, ProviderSettings } from "../providers/types";
import { errorText, scrubSecrets } from "./error-classify";
import { describeFailure, PROBE_TIMEOUT_MS } from "./health-probes";
import type { CheckResult } from "./health-state";

export const PROVIDER_WINDOW_MINUTES = 5;
export const PROVIDER_MIN_SAMPLE = 5;
export const PROVIDER_FAILURE_RATE = 0.5;
/** Failures across this many models make a provider-wide (high) incident rather than a narrow (medium) one. */
export const BROAD_FAILING_MODELS = 3;

export interface ProviderTarget {
  slug: string;
  adapter: ProviderAdapter;
  settings: ProviderSettings;
}

export const providerComponent = (slug: string) => `provider:${slug}`;

/** Providers with a key (a provider without one is never called, so it cannot be down). */
export function configuredProviderTargets(env: Env, config: Config): ProviderTarget[] {
  const targets: ProviderTarget[] = [];
  for (const slug of Object.keys(providers) as ProviderId[]) {
    try {
      const settings = providerSettings(env, slug, config.ENVIRONMENT);
      if (settings) targets.push({ slug, adapter: providers[slug], settings });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return targets;
}

interface ModelListProbe {
  ok: boolean;
  endpoint: string;
  status: number | null;
  error: string | null;
  body: string | null;
  latencyMs: number;
}

/** Down: no answer, a 5xx, or the vendor refusing the key (401/403). Any other answer means it is up. */
export async function probeModelList(target: ProviderTarget): Promise<ModelListProbe> {
  const started = Date.now();
  let endpoint = `${target.slug}: model list`;
  try {
    const request = target.adapter.buildModelListRequest(target.settings);
    const url = new URL(request.url);
    // Only origin and path: some vendors take the key as a query parameter.
    endpoint = `GET ${url.origin}${url.pathname}`;
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const down = response.status >= 500 || response.status === 401 || response.status === 403;
    const body = down ? (await response.text()).slice(0, 1000) : null;
    if (!down) await response.body?.cancel();
    return {
      ok: !down,
      endpoint,
      status: response.status,
      error: down ? `model list answered HTTP ${response.status}` : null,
      body,
      latencyMs: Date.now() - started,
    };
  } catch (error) {
    return {
      ok: false,
      endpoint,
      status: null,
      error: describeFailure(error),
      body: null,
      latencyMs: Date.now() - started,
    };
  }
}

/** The verdict on one provider from its evidence; `outcomes` null means the request log could not be read. */
export function judgeProvider(
  target: ProviderTarget,
  outcomes: ProviderOutcomes | null,
  breaker: BreakerSnapshot | undefined,
  probe: ModelListProbe | undefined,
  config: Config,
  secrets: readonly string[],
): CheckResult {
  const total = outcomes?.total ?? 0;
  const failures = outcomes?.failures ?? 0;
  const breakerOpen = breaker?.state === "open";
  const rateFailing = total >= PROVIDER_MIN_SAMPLE && failures / total >= PROVIDER_FAILURE_RATE;
  const probeFailing = probe !== undefined && !probe.ok;
  const reasons: string[] = [];
  if (breakerOpen)
    reasons.push(`circuit breaker open${breaker.last_failure_reason ? `: ${breaker.last_failure_reason}` : ""}`);
  if (rateFailing) reasons.push(`${failures} of ${total} requests failed in the last ${PROVIDER_WINDOW_MINUTES} min`);
  if (probeFailing) reasons.push(probe.error ?? "model list probe failed");
  // Without the log and without a probe there is nothing to judge from.
  const ok = reasons.length > 0 ? false : outcomes === null && probe === undefined ? null : true;
  const broad =
    breakerOpen ||
    probeFailing ||
    (outcomes?.failingModels ?? 0) >= BROAD_FAILING_MODELS ||
    target.slug === config.DEFAULT_PROVIDER;
  const scrub = (text: string | null) => (text === null ? null : scrubSecrets(text, secrets).slice(0, 1000));
  return {
    component: providerComponent(target.slug),
    ok,
    severity: broad ? "high" : "medium",
    error: scrub(reasons.length > 0 ? reasons.join("; ") : null),
    healthEndpoint:
      probe?.endpoint ?? `request log (${PROVIDER_WINDOW_MINUTES} min) and ${providerBreaker(target.slug)}`,
    httpStatusCode: probe?.status ?? null,
    responseBody: scrub(probe?.body ?? null),
    details: {
      window_minutes: PROVIDER_WINDOW_MINUTES,
      min_sample: PROVIDER_MIN_SAMPLE,
      requests: outcomes === null ? null : total,
      failures: outcomes === null ? null : failures,
      failure_rate: total > 0 ? Math.round((failures / total) * 1000) / 1000 : null,
      failing_models: outcomes?.failingModels ?? null,
      breaker_state: breaker?.state ?? null,
      probe_status: probe ? (probe.status ?? "unreachable") : null,
      probe_latency_ms: probe?.latencyMs ?? null,
    },
  };
}

/** Checks every target: one query for all their outcomes, one read of their breakers, probes for the idle ones. */
export async function checkProviders(
  env: Env,
  config: Config,
  db: Database | undefined,
  targets: readonly ProviderTarget[],
  now: number,
  secrets: readonly string[],
): Promise<CheckResult[]> {
  if (targets.length === 0) return [];
  const since = new Date(now - PROVIDER_WINDOW_MINUTES * 60_000);
  const slugs = targets.map((target) => target.slug);
  const wanted = new Set(slugs.map(providerBreaker));
  const [outcomes, breakers] = await Promise.all([
    db
      ? providerOutcomes(db, slugs, since).catch((error: unknown) => {
          console.warn(JSON.stringify({ msg: "health watch: request log unreadable", error: errorText(error) }));
          return null;
        })
      : Promise.resolve(null),
    readBreakerSnapshots(env, (name) => wanted.has(name)).catch((error: unknown) => {
      console.warn(JSON.stringify({ msg: "health watch: breakers unreadable", error: errorText(error) }));
      return undefined;
    }),
  ]);
  const byProvider = new Map(outcomes?.map((row) => [row.provider, row]));
  const byBreaker = new Map(breakers?.snapshots.map((snapshot) => [snapshot.name, snapshot]));
  return Promise.all(
    targets.map(async (target) => {
      const own =
        outcomes === null
          ? null
          : (byProvider.get(target.slug) ?? { provider: target.slug, total: 0, failures: 0, failingModels: 0 });
      const probe = own === null || own.total < PROVIDER_MIN_SAMPLE ? await probeModelList(target) : undefined;
      return judgeProvider(target, own, byBreaker.get(providerBreaker(target.slug)), probe, config, secrets);
    }),
  );
}
