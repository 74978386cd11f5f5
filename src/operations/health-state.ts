// The health watcher's memory of one component between cron ticks, and the pure rules that move it:
// INCIDENT_FAILURE_THRESHOLD failed checks in a row open an incident dated from the first of them;
// INCIDENT_RECOVERY_THRESHOLD good checks in a row resolve it, dated from the first good one.
import { z } from "@hono/zod-openapi";
import { incidentSeverities } from "../db/schema";

export type IncidentSeverity = (typeof incidentSeverities)[number];

export const severityRank: Record<IncidentSeverity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** What one check of one component found. `ok: null`: this tick could not tell (not counted either way). */
export interface CheckResult {
  component: string;
  ok: boolean | null;
  /** The severity an incident of this component gets (and is raised to) while this check fails. */
  severity: IncidentSeverity;
  error: string | null;
  /** What was probed, e.g. "postgres: select 1" (the incident's health_endpoint). */
  healthEndpoint: string;
  httpStatusCode: number | null;
  responseBody: string | null;
  /** The numbers behind the verdict (the incident's metrics_snapshot). */
  details: Record<string, unknown>;
}

const epochMs = z.number().int().nonnegative();

const WatchedIncidentSchema = z.object({
  id: z.string().min(1),
  startedAt: epochMs,
  detectedAt: epochMs,
  /** Set when recovered; the row is then written as resolved and the incident leaves the state. */
  endedAt: epochMs.nullable(),
  severity: z.enum(incidentSeverities),
  errorMessage: z.string().nullable(),
  httpStatusCode: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  healthEndpoint: z.string(),
  metricsSnapshot: z.record(z.string(), z.unknown()),
  /** False until Postgres holds this version of the incident (it may be down when it opens). */
  persisted: z.boolean(),
});

export const ProbeStateSchema = z.object({
  component: z.string().min(1),
  consecutiveFailures: z.number().int().nonnegative(),
  consecutiveSuccesses: z.number().int().nonnegative(),
  lastOk: z.boolean().nullable(),
  lastError: z.string().nullable(),
  lastCheckedAt: epochMs.nullable(),
  failingSince: epochMs.nullable(),
  /** The first good check of the current run (the incident's ended_at when the run resolves it). */
  recoveringSince: epochMs.nullable(),
  incident: WatchedIncidentSchema.nullable(),
});

export type WatchedIncident = z.infer<typeof WatchedIncidentSchema>;
export type ProbeState = z.infer<typeof ProbeStateSchema>;

export interface Thresholds {
  failures: number;
  recoveries: number;
}

export function initialState(component: string): ProbeState {
  return {
    component,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    lastOk: null,
    lastError: null,
    lastCheckedAt: null,
    failingSince: null,
    recoveringSince: null,
    incident: null,
  };
}

/**
 * The copy checked most recently wins (a store that was down holds an older copy). Ties keep the
 * earlier argument: callers list the copies that carry the in-flight incident first.
 */
export function freshest(candidates: readonly (ProbeState | undefined)[]): ProbeState | undefined {
  let best: ProbeState | undefined;
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (!best || (candidate.lastCheckedAt ?? -1) > (best.lastCheckedAt ?? -1)) best = candidate;
  }
  return best;
}

function openIncident(check: CheckResult, startedAt: number, now: number, newId: () => string): WatchedIncident {
  return {
    id: newId(),
    startedAt,
    detectedAt: now,
    endedAt: null,
    severity: check.severity,
    errorMessage: check.error,
    httpStatusCode: check.httpStatusCode,
    responseBody: check.responseBody,
    healthEndpoint: check.healthEndpoint,
    metricsSnapshot: check.details,
    persisted: false,
  };
}

/** Applies one check made at `now` (ms). A check not newer than the last one (a late or repeated tick) changes nothing. */
export function advance(
  prev: ProbeState,
  check: CheckResult,
  now: number,
  thresholds: Thresholds,
  newId: () => string = () => crypto.randomUUID(),
): ProbeState {
  if (check.ok === null) return prev;
  if (prev.lastCheckedAt !== null && now <= prev.lastCheckedAt) return prev;
  const checked = { ...prev, lastOk: check.ok, lastError: check.ok ? null : check.error, lastCheckedAt: now };
  let incident = prev.incident;
  if (!check.ok) {
    const failures = prev.consecutiveFailures + 1;
    const failingSince = prev.consecutiveFailures > 0 && prev.failingSince !== null ? prev.failingSince : now;
    if (incident === null && failures >= thresholds.failures) {
      incident = openIncident(check, failingSince, now, newId);
    } else if (
      incident !== null &&
      incident.endedAt === null &&
      severityRank[check.severity] > severityRank[incident.severity]
    ) {
      // The outage got broader: raise the open incident's severity.
      incident = { ...incident, severity: check.severity, metricsSnapshot: check.details, persisted: false };
    }
    return {
      ...checked,
      consecutiveFailures: failures,
      consecutiveSuccesses: 0,
      failingSince,
      recoveringSince: null,
      incident,
    };
  }
  const successes = prev.consecutiveSuccesses + 1;
  // A copy read from Postgres does not carry recoveringSince: its last good check is the best known bound.
  const recoveringSince = prev.consecutiveSuccesses > 0 ? (prev.recoveringSince ?? prev.lastCheckedAt ?? now) : now;
  if (incident !== null && incident.endedAt === null && successes >= thresholds.recoveries) {
    incident = { ...incident, endedAt: Math.max(recoveringSince, incident.startedAt), persisted: false };
  }
  return {
    ...checked,
    consecutiveFailures: 0,
    consecutiveSuccesses: successes,
    failingSince: null,
    recoveringSince,
    incident,
  };
}
