// Where the health watcher keeps its per-component memory between cron ticks. Postgres and Redis are
// both watched components, so neither can be the only store: every tick writes each component's state
// to Redis (one key per component), to Postgres (health_probe_states) and to this isolate's memory,
// each when reachable, and reads back the copy checked most recently. Postgres down: the postgres
// component's failure run (and the incident it opens) lives in Redis. Redis down: the redis
// component's lives in Postgres. The isolate copy is a best effort for both at once (a later cron
// tick often lands in the same isolate). The incident of a component is also its open
// downtime_incidents row, which Postgres' copy of the state does not hold in columns of its own.
import type { Redis } from "@upstash/redis/cloudflare";
import type { Database } from "../db/client";
import { type IncidentRow, openIncidentsFor, readProbeStates, writeProbeStates } from "../db/downtime-watch";
import { errorText } from "./error-classify";
import { freshest, initialState, type ProbeState, ProbeStateSchema, type WatchedIncident } from "./health-state";

export interface Stores {
  db: Database | undefined;
  redis: Redis | undefined;
}

const isolateMemory = new Map<string, ProbeState>();

/** For tests: forget this isolate's copies, so only Redis and Postgres carry state to the next tick. */
export function forgetIsolateHealthState(): void {
  isolateMemory.clear();
}

export const redisStateKey = (component: string) => `health-watch:v1:${component}`;
/** Components that stop being watched (a provider's key removed) fade out of Redis. */
const REDIS_TTL_SECONDS = 7 * 24 * 3600;

const warn = (msg: string, error: unknown) => console.warn(JSON.stringify({ msg, error: errorText(error) }));

async function fromRedis(redis: Redis | undefined, components: readonly string[]): Promise<Map<string, ProbeState>> {
  const states = new Map<string, ProbeState>();
  if (!redis || components.length === 0) return states;
  try {
    const values = await redis.mget<unknown[]>(...components.map(redisStateKey));
    for (const value of values) {
      const parsed = ProbeStateSchema.safeParse(typeof value === "string" ? JSON.parse(value) : value);
      if (parsed.success) states.set(parsed.data.component, parsed.data);
    }
  } catch (error) {
    warn("health watch: Redis state unreadable", error);
  }
  return states;
}

function incidentOfRow(row: IncidentRow): WatchedIncident {
  return {
    id: row.id,
    startedAt: row.startedAt.getTime(),
    detectedAt: row.detectedAt.getTime(),
    endedAt: null,
    severity: row.severity,
    errorMessage: row.errorMessage,
    httpStatusCode: row.httpStatusCode,
    responseBody: row.responseBody,
    healthEndpoint: row.healthEndpoint ?? "",
    metricsSnapshot: row.metricsSnapshot,
    persisted: true,
  };
}

interface PostgresCopies {
  states: Map<string, ProbeState>;
  open: Map<string, IncidentRow>;
}

async function fromPostgres(
  db: Database | undefined,
  components: readonly string[],
): Promise<PostgresCopies | undefined> {
  if (!db) return undefined;
  try {
    const [rows, open] = await Promise.all([readProbeStates(db, components), openIncidentsFor(db, components)]);
    const openByComponent = new Map(open.map((row) => [row.component, row]));
    const states = new Map<string, ProbeState>();
    for (const row of rows) {
      const incident = openByComponent.get(row.component);
      states.set(row.component, {
        component: row.component,
        consecutiveFailures: row.consecutiveFailures,
        consecutiveSuccesses: row.consecutiveSuccesses,
        lastOk: row.lastOk,
        lastError: row.lastError,
        lastCheckedAt: row.lastCheckedAt?.getTime() ?? null,
        failingSince: row.failingSince?.getTime() ?? null,
        recoveringSince: null,
        incident: incident ? incidentOfRow(incident) : null,
      });
    }
    return { states, open: openByComponent };
  } catch (error) {
    warn("health watch: Postgres state unreadable", error);
    return undefined;
  }
}

/**
 * With Postgres readable, its open incidents are the truth about what is open: a copy that knows none
 * adopts the open row; a copy whose written incident is no longer open (an admin resolved it) lets
 * it go and starts counting failures afresh, so a lasting outage opens a new incident.
 */
function reconcile(state: ProbeState, open: IncidentRow | undefined): ProbeState {
  const incident = state.incident;
  if (incident === null) return open ? { ...state, incident: incidentOfRow(open) } : state;
  if (!incident.persisted || incident.endedAt !== null) return state;
  if (open?.id === incident.id) return state;
  if (open) return { ...state, incident: incidentOfRow(open) };
  return { ...state, incident: null, consecutiveFailures: 0, failingSince: null };
}

/** Each component's freshest state across the reachable stores. */
export async function loadStates(stores: Stores, components: readonly string[]): Promise<Map<string, ProbeState>> {
  const [redisStates, postgres] = await Promise.all([
    fromRedis(stores.redis, components),
    fromPostgres(stores.db, components),
  ]);
  const states = new Map<string, ProbeState>();
  for (const component of components) {
    // Ties go to the copies that carry the in-flight incident and recoveringSince.
    const chosen =
      freshest([isolateMemory.get(component), redisStates.get(component), postgres?.states.get(component)]) ??
      initialState(component);
    states.set(component, postgres ? reconcile(chosen, postgres.open.get(component)) : chosen);
  }
  return states;
}

/** Writes every state to every store it can reach; returns which stores took them. */
export async function saveStates(
  stores: Stores,
  states: readonly ProbeState[],
): Promise<{ redis: boolean; postgres: boolean }> {
  for (const state of states) isolateMemory.set(state.component, state);
  const toRedis = async () => {
    if (!stores.redis || states.length === 0) return false;
    const pipeline = stores.redis.pipeline();
    for (const state of states) pipeline.set(redisStateKey(state.component), state, { ex: REDIS_TTL_SECONDS });
    await pipeline.exec();
    return true;
  };
  const toPostgres = async () => {
    if (!stores.db || states.length === 0) return false;
    await writeProbeStates(
      stores.db,
      states.map((state) => ({
        component: state.component,
        consecutiveFailures: state.consecutiveFailures,
        consecutiveSuccesses: state.consecutiveSuccesses,
        lastOk: state.lastOk,
        lastError: state.lastError,
        lastCheckedAt: state.lastCheckedAt === null ? null : new Date(state.lastCheckedAt),
        failingSince: state.failingSince === null ? null : new Date(state.failingSince),
      })),
    );
    return true;
  };
  const [redis, postgres] = await Promise.all([
    toRedis().catch((error: unknown) => {
      warn("health watch: Redis state not written", error);
      return false;
    }),
    toPostgres().catch((error: unknown) => {
      warn("health watch: Postgres state not written", error);
      return false;
    }),
  ]);
  return { redis, postgres };
}
