// Writing the watcher's incidents to downtime_incidents. An incident detected while Postgres was down
// waits in the watcher's state (Redis, isolate) and is written here on the first tick Postgres
// answers, with the started_at of its first failed check, already resolved if it recovered meanwhile.
// Ids are chosen when the incident is detected, so a write repeated after a lost acknowledgement
// changes nothing.
import type { Database } from "../db/client";
import { insertOngoingIncident, type NewIncident, raiseSeverity, writeResolvedIncident } from "../db/downtime-watch";
import type { Config } from "../env";
import { API_VERSION } from "../lib/version";
import { errorText } from "./error-classify";
import type { WatchedIncident } from "./health-state";
import { captureIncidentLogs } from "./incident-logs";

export const WATCHER_RESOLVED_BY = "system:health-watch";

function rowOf(config: Config, component: string, incident: WatchedIncident): NewIncident {
  return {
    id: incident.id,
    component,
    startedAt: new Date(incident.startedAt),
    detectedAt: new Date(incident.detectedAt),
    severity: incident.severity,
    environment: config.ENVIRONMENT,
    healthEndpoint: incident.healthEndpoint,
    errorMessage: incident.errorMessage,
    httpStatusCode: incident.httpStatusCode,
    responseBody: incident.responseBody,
    serverInfo: {
      detected_by: "health-watch cron (every minute)",
      runtime: "cloudflare-workers",
      release: config.RELEASE ?? API_VERSION,
      failure_threshold: config.INCIDENT_FAILURE_THRESHOLD,
      recovery_threshold: config.INCIDENT_RECOVERY_THRESHOLD,
    },
    metricsSnapshot: incident.metricsSnapshot,
  };
}

async function capture(db: Database, config: Config, id: string, startedAt: number): Promise<void> {
  try {
    const result = await captureIncidentLogs(db, config, { id, startedAt: new Date(startedAt) });
    // A capture without Loki's lines is worth a warning; an empty window is not.
    if (config.LOKI_URL !== undefined && result.sources.loki === null) {
      console.warn(JSON.stringify({ msg: "incident log capture incomplete", incident_id: id, ...result }));
    }
  } catch (error) {
    // The incident matters more than its logs: they can be captured again from the admin API.
    console.warn(JSON.stringify({ msg: "incident log capture failed", incident_id: id, error: errorText(error) }));
  }
}

/**
 * Writes the incident's current version. Returns what the watcher keeps: the incident marked written
 * (under the id of the component's open row, if one already existed), or null once written resolved.
 * Throws when Postgres refuses; the incident then stays pending for the next tick.
 */
export async function writeIncident(
  db: Database,
  config: Config,
  component: string,
  incident: WatchedIncident,
): Promise<WatchedIncident | null> {
  if (incident.persisted) return incident;
  const row = rowOf(config, component, incident);
  if (incident.endedAt === null) {
    const written = await insertOngoingIncident(db, row);
    if (!written) throw new Error(`incident ${incident.id} of ${component} was neither inserted nor found`);
    if (written.created) await capture(db, config, written.id, incident.startedAt);
    else if (written.id === incident.id)
      await raiseSeverity(db, written.id, incident.severity, incident.metricsSnapshot);
    return { ...incident, id: written.id, persisted: true };
  }
  const endedAt = new Date(incident.endedAt);
  await writeResolvedIncident(db, {
    ...row,
    endedAt,
    resolvedBy: WATCHER_RESOLVED_BY,
    notes: `Recovered: ${config.INCIDENT_RECOVERY_THRESHOLD} consecutive good checks from ${endedAt.toISOString()}`,
  });
  // Again at the end: the window now covers the whole outage.
  await capture(db, config, incident.id, incident.startedAt);
  return null;
}
