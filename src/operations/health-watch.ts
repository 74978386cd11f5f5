// One tick of the health watcher: probe Postgres and Redis, judge each configured provider, move each
// component's state (health-state.ts), write incidents to Postgres when it answers (incident-sync.ts),
// and keep the states in every store that answers (health-store.ts).
import type { Redis } from "@upstash/redis/cloudflare";
import { type Database, openDatabase } from "../db/client";
import { type Config, type Env, readConfig } from "../env";
import { redisClient } from "../lib/redis";
import { errorText } from "./error-classify";
import { configuredSecrets } from "./error-events";
import { probePostgres, probeRedis } from "./health-probes";
import { checkProviders, configuredProviderTargets } from "./health-providers";
import { advance, type CheckResult, type ProbeState } from "./health-state";
import { loadStates, type Stores, saveStates } from "./health-store";
import { writeIncident } from "./incident-sync";

export interface ComponentReport {
  component: string;
  ok: boolean | null;
  consecutive_failures: number;
  consecutive_successes: number;
  incident_id: string | null;
  incident_written: boolean | null;
}

function logTransition(before: ProbeState | undefined, after: ProbeState): void {
  const opened = after.incident && after.incident.id !== before?.incident?.id;
  const recovered = after.incident?.endedAt != null && before?.incident?.endedAt == null;
  if (opened && after.incident) {
    console.error(
      JSON.stringify({
        msg: "downtime incident opened",
        component: after.component,
        incident_id: after.incident.id,
        severity: after.incident.severity,
        started_at: new Date(after.incident.startedAt).toISOString(),
        error: after.incident.errorMessage,
      }),
    );
  }
  if (recovered && after.incident) {
    console.warn(
      JSON.stringify({
        msg: "downtime incident recovered",
        component: after.component,
        incident_id: after.incident.id,
      }),
    );
  }
}

/**
 * Applies one tick's checks made at `now` (ms). `stores` holds only the stores that answered this
 * tick's probes: a store known to be down is not waited on.
 */
export async function recordChecks(
  config: Config,
  stores: Stores,
  checks: readonly CheckResult[],
  now: number,
): Promise<ComponentReport[]> {
  const thresholds = { failures: config.INCIDENT_FAILURE_THRESHOLD, recoveries: config.INCIDENT_RECOVERY_THRESHOLD };
  const previous = await loadStates(
    stores,
    checks.map((check) => check.component),
  );
  const next: ProbeState[] = [];
  for (const check of checks) {
    const before = previous.get(check.component);
    if (!before) continue;
    let state = advance(before, check, now, thresholds);
    logTransition(before, state);
    if (stores.db && state.incident && !state.incident.persisted) {
      try {
        state = { ...state, incident: await writeIncident(stores.db, config, state.component, state.incident) };
      } catch (error) {
        console.warn(
          JSON.stringify({ msg: "incident not written yet", component: state.component, error: errorText(error) }),
        );
      }
    }
    next.push(state);
  }
  const saved = await saveStates(stores, next);
  if (!saved.redis && !saved.postgres && next.length > 0) {
    console.error(JSON.stringify({ msg: "health watch: neither Redis nor Postgres took the probe states" }));
  }
  return next.map((state, index) => ({
    component: state.component,
    ok: checks[index]?.ok ?? null,
    consecutive_failures: state.consecutiveFailures,
    consecutive_successes: state.consecutiveSuccesses,
    incident_id: state.incident?.id ?? null,
    incident_written: state.incident ? state.incident.persisted : null,
  }));
}

/** The dependency checks; the stores are the dependencies that answered. */
export async function checkDependencies(
  db: Database | undefined,
  redis: Redis | undefined,
  secrets: readonly string[],
): Promise<{ checks: CheckResult[]; stores: Stores }> {
  const [postgres, redisCheck] = await Promise.all([probePostgres(db, secrets), probeRedis(redis, secrets)]);
  return {
    checks: [postgres, redisCheck],
    stores: { db: postgres.ok ? db : undefined, redis: redisCheck.ok ? redis : undefined },
  };
}

/** One full tick: Postgres, Redis and every configured provider. */
export async function watchHealth(env: Env, now: number): Promise<ComponentReport[]> {
  const config = readConfig(env);
  const secrets = configuredSecrets(env);
  const handle = config.DATABASE_URL ? openDatabase(config) : undefined;
  try {
    const { checks, stores } = await checkDependencies(handle?.db, redisClient(config), secrets);
    const providers = await checkProviders(
      env,
      config,
      stores.db,
      configuredProviderTargets(env, config),
      now,
      secrets,
    );
    return await recordChecks(config, stores, [...checks, ...providers], now);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
