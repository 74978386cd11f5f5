// The health watcher's queries: its per-component memory (health_probe_states), the incidents it
// opens and resolves, the error events of an incident's window, and providers' recent outcomes.
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "./client";
import { downtimeIncidents, healthProbeStates, incidentSeverities } from "./schema";

type Severity = (typeof incidentSeverities)[number];

export type ProbeStateRow = typeof healthProbeStates.$inferSelect;
export type IncidentRow = typeof downtimeIncidents.$inferSelect;

export async function readProbeStates(db: Database, components: readonly string[]): Promise<ProbeStateRow[]> {
  if (components.length === 0) return [];
  return db
    .select()
    .from(healthProbeStates)
    .where(inArray(healthProbeStates.component, [...components]));
}

/** One statement; a row is only replaced by a newer check (a late tick cannot roll it back). */
export async function writeProbeStates(db: Database, rows: readonly ProbeStateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(healthProbeStates)
    .values([...rows])
    .onConflictDoUpdate({
      target: healthProbeStates.component,
      set: {
        consecutiveFailures: sql`excluded.consecutive_failures`,
        consecutiveSuccesses: sql`excluded.consecutive_successes`,
        lastOk: sql`excluded.last_ok`,
        lastError: sql`excluded.last_error`,
        lastCheckedAt: sql`excluded.last_checked_at`,
        failingSince: sql`excluded.failing_since`,
      },
      setWhere: sql`${healthProbeStates.lastCheckedAt} is null or excluded.last_checked_at >= ${healthProbeStates.lastCheckedAt}`,
    });
}

/** The open (not resolved) incident of each of these components. */
export async function openIncidentsFor(db: Database, components: readonly string[]): Promise<IncidentRow[]> {
  if (components.length === 0) return [];
  return db
    .select()
    .from(downtimeIncidents)
    .where(and(inArray(downtimeIncidents.component, [...components]), ne(downtimeIncidents.status, "resolved")));
}

export interface NewIncident {
  id: string;
  component: string;
  startedAt: Date;
  detectedAt: Date;
  severity: Severity;
  environment: string;
  healthEndpoint: string;
  errorMessage: string | null;
  httpStatusCode: number | null;
  responseBody: string | null;
  serverInfo: Record<string, unknown>;
  metricsSnapshot: Record<string, unknown>;
}

/**
 * Inserts an ongoing incident. When the component already has an open one (another tick, or a copy
 * of the state that was lost), that one is returned instead: at most one open incident per component.
 */
export async function insertOngoingIncident(
  db: Database,
  incident: NewIncident,
): Promise<{ id: string; created: boolean } | undefined> {
  const inserted = await db
    .insert(downtimeIncidents)
    .values({ ...incident, status: "ongoing" })
    .onConflictDoNothing()
    .returning({ id: downtimeIncidents.id });
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const existing = await db.execute<{ id: string }>(sql`
    select id from downtime_incidents
    where id = ${incident.id} or (component = ${incident.component} and status <> 'resolved')
    order by (id = ${incident.id}) desc limit 1`);
  const row = existing.rows[0];
  return row ? { id: String(row.id), created: false } : undefined;
}

/** Raises an open incident's severity (never lowers it). */
export async function raiseSeverity(
  db: Database,
  id: string,
  severity: Severity,
  metricsSnapshot: Record<string, unknown>,
): Promise<void> {
  const rank = (column: unknown) =>
    sql`array_position(array[${sql.join(
      incidentSeverities.map((value) => sql`${value}`),
      sql`, `,
    )}]::text[], ${column})`;
  await db
    .update(downtimeIncidents)
    .set({ severity, metricsSnapshot, updatedAt: new Date() })
    .where(
      and(
        eq(downtimeIncidents.id, id),
        ne(downtimeIncidents.status, "resolved"),
        sql`${rank(severity)} > ${rank(downtimeIncidents.severity)}`,
      ),
    );
}

export interface ResolvedIncident extends NewIncident {
  endedAt: Date;
  resolvedBy: string;
  notes: string;
}

/**
 * Writes a recovered incident: resolves the open row, or inserts it already resolved when the outage
 * began and ended while Postgres could not be written. A row an admin resolved is left as it is.
 */
export async function writeResolvedIncident(db: Database, incident: ResolvedIncident): Promise<void> {
  const durationSeconds = Math.max(0, Math.round((incident.endedAt.getTime() - incident.startedAt.getTime()) / 1000));
  await db
    .insert(downtimeIncidents)
    .values({ ...incident, status: "resolved", durationSeconds })
    .onConflictDoUpdate({
      target: downtimeIncidents.id,
      set: {
        status: "resolved",
        endedAt: incident.endedAt,
        durationSeconds: sql`greatest(0, round(extract(epoch from (excluded.ended_at - ${downtimeIncidents.startedAt}))))::int`,
        resolvedBy: incident.resolvedBy,
        notes: incident.notes,
        updatedAt: new Date(),
      },
      setWhere: ne(downtimeIncidents.status, "resolved"),
    });
}

/**
 * Stores an incident's captured logs. With `onlyIfEmpty`, logs already stored are kept (a partial
 * capture, e.g. Loki failing, must not replace a fuller earlier one). Returns whether it was stored.
 */
export async function storeIncidentLogs(
  db: Database,
  id: string,
  logs: Record<string, unknown>[],
  onlyIfEmpty: boolean,
): Promise<boolean> {
  const updated = await db
    .update(downtimeIncidents)
    .set({ logsCaptured: logs, logCount: logs.length, updatedAt: new Date() })
    .where(and(eq(downtimeIncidents.id, id), onlyIfEmpty ? eq(downtimeIncidents.logCount, 0) : undefined))
    .returning({ id: downtimeIncidents.id });
  return updated.length > 0;
}

/** Error events of a window, oldest first. `skipLokiCopies` leaves out events the error monitor imported from Loki. */
export async function errorEventsBetween(
  db: Database,
  window: { from: Date; to: Date; limit: number; skipLokiCopies: boolean },
): Promise<Record<string, unknown>[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select id, fingerprint, category, severity, source, message, route, status_code, request_id, provider, model,
           created_at
    from error_events
    where created_at >= ${window.from.toISOString()}::timestamptz and created_at <= ${window.to.toISOString()}::timestamptz
      and (not ${window.skipLokiCopies} or source <> 'loki')
    order by created_at, id
    limit ${window.limit}`);
  return result.rows;
}

export interface ProviderOutcomes {
  provider: string;
  total: number;
  failures: number;
  failingModels: number;
}

/**
 * Each provider's outcomes since `since`, from the request log: an answered request is a success of
 * the provider that answered; each failed attempt (5xx, timeout, unreachable, refused vendor key) is a
 * failure of its provider. Client errors, upstream 429s and the gateway's own concurrency refusals
 * (503 "Too many concurrent requests …") say nothing about the provider's health and are not counted.
 */
export async function providerOutcomes(
  db: Database,
  providers: readonly string[],
  since: Date,
): Promise<ProviderOutcomes[]> {
  if (providers.length === 0) return [];
  const wanted = sql`array[${sql.join(
    providers.map((provider) => sql`${provider}`),
    sql`, `,
  )}]::text[]`;
  const result = await db.execute<Record<string, unknown>>(sql`
    with recent as (
      select provider, upstream_model, status,
             case when jsonb_typeof(attempts) = 'array' then attempts else '[]'::jsonb end as attempts
      from chat_completion_requests
      where created_at >= ${since.toISOString()}::timestamptz
    ),
    outcomes as (
      select provider, upstream_model as model, false as failed from recent
      where status = 'completed' and provider = any(${wanted})
      union all
      select a->>'provider', a->>'model', true
      from recent, jsonb_array_elements(recent.attempts) as a,
           lateral (select case when jsonb_typeof(a->'status') = 'number' then (a->'status')::numeric else 0 end as code) s
      where a->>'provider' = any(${wanted})
        and (s.code >= 500 or s.code in (401, 402, 403))
        and coalesce(a->>'reason', '') not like 'Too many concurrent requests%'
    )
    select provider, count(*)::int as total, count(*) filter (where failed)::int as failures,
           count(distinct model) filter (where failed)::int as failing_models
    from outcomes group by provider`);
  return result.rows.map((row) => ({
    provider: String(row.provider),
    total: Number(row.total),
    failures: Number(row.failures),
    failingModels: Number(row.failing_models),
  }));
}
