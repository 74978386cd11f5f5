// The admin downtime API's queries (seed 001 L2926-3827). Counts, statistics, log filters and the log
// analysis are computed in SQL; the seed loaded every row and counted in Python.
import { and, desc, eq, ne, type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";
import type { IncidentRow } from "./downtime-watch";
import { downtimeIncidents, type incidentSeverities, type incidentStatuses } from "./schema";

export interface IncidentFilter {
  limit: number;
  status?: (typeof incidentStatuses)[number];
  severity?: (typeof incidentSeverities)[number];
  environment?: string;
}

export interface IncidentTotals {
  total: number;
  ongoing: number;
  resolved: number;
}

function filterOf(filter: Omit<IncidentFilter, "limit">): SQL | undefined {
  return and(
    filter.status ? eq(downtimeIncidents.status, filter.status) : undefined,
    filter.severity ? eq(downtimeIncidents.severity, filter.severity) : undefined,
    filter.environment !== undefined ? eq(downtimeIncidents.environment, filter.environment) : undefined,
  );
}

/** The newest `limit` matching incidents, and the counts over every matching incident. */
export async function listIncidents(
  db: Database,
  filter: IncidentFilter,
): Promise<{ rows: IncidentRow[]; totals: IncidentTotals }> {
  const where = filterOf(filter);
  const [rows, counts] = await Promise.all([
    db
      .select()
      .from(downtimeIncidents)
      .where(where)
      .orderBy(desc(downtimeIncidents.startedAt), desc(downtimeIncidents.id))
      .limit(filter.limit),
    db
      .select({
        total: sql<number>`count(*)::int`,
        ongoing: sql<number>`(count(*) filter (where ${downtimeIncidents.status} = 'ongoing'))::int`,
        resolved: sql<number>`(count(*) filter (where ${downtimeIncidents.status} = 'resolved'))::int`,
      })
      .from(downtimeIncidents)
      .where(where),
  ]);
  const totals = counts[0];
  return {
    rows,
    totals: {
      total: Number(totals?.total ?? 0),
      ongoing: Number(totals?.ongoing ?? 0),
      resolved: Number(totals?.resolved ?? 0),
    },
  };
}

export async function ongoingIncidents(db: Database): Promise<IncidentRow[]> {
  return db
    .select()
    .from(downtimeIncidents)
    .where(eq(downtimeIncidents.status, "ongoing"))
    .orderBy(desc(downtimeIncidents.startedAt), desc(downtimeIncidents.id));
}

export async function findIncident(db: Database, id: string): Promise<IncidentRow | undefined> {
  const [row] = await db.select().from(downtimeIncidents).where(eq(downtimeIncidents.id, id));
  return row;
}

export interface IncidentStatistics {
  total_incidents: number;
  total_downtime_seconds: number;
  average_duration_seconds: number;
  by_severity: Record<string, number>;
  by_status: Record<string, number>;
}

const countsObject = (value: unknown): Record<string, number> =>
  Object.fromEntries(
    Object.entries(typeof value === "object" && value !== null ? value : {}).map(([key, n]) => [key, Number(n)]),
  );

/**
 * Incidents that started in the last `days` days. As the seed: downtime sums recorded durations (an
 * ongoing incident adds none yet) and the average divides it by every incident, rounded down.
 */
export async function incidentStatistics(db: Database, days: number): Promise<IncidentStatistics> {
  const result = await db.execute<Record<string, unknown>>(sql`
    with w as (
      select severity, status, duration_seconds from downtime_incidents
      where started_at >= now() - make_interval(days => ${days}) and started_at <= now()
    )
    select (select count(*) from w)::int as total,
           (select coalesce(sum(duration_seconds), 0) from w)::bigint as downtime,
           (select case when count(*) > 0 then coalesce(sum(duration_seconds), 0) / count(*) else 0 end from w)::bigint
             as average,
           coalesce((select jsonb_object_agg(severity, n) from (select severity, count(*)::int as n from w group by severity) s),
             '{}'::jsonb) as by_severity,
           coalesce((select jsonb_object_agg(status, n) from (select status, count(*)::int as n from w group by status) s),
             '{}'::jsonb) as by_status`);
  const row = result.rows[0] ?? {};
  return {
    total_incidents: Number(row.total ?? 0),
    total_downtime_seconds: Number(row.downtime ?? 0),
    average_duration_seconds: Number(row.average ?? 0),
    by_severity: countsObject(row.by_severity),
    by_status: countsObject(row.by_status),
  };
}

export interface LogFilter {
  level?: string;
  logger?: string;
  search?: string;
}

/** The incident's captured logs matching every given filter, in capture order; undefined when no such incident. */
export async function filteredIncidentLogs(
  db: Database,
  id: string,
  filter: LogFilter,
): Promise<{ totalCaptured: number; logs: unknown[] } | undefined> {
  const level = filter.level ?? null;
  const logger = filter.logger ?? null;
  const search = filter.search ?? null;
  const result = await db.execute<Record<string, unknown>>(sql`
    select jsonb_array_length(i.logs_captured)::int as total_captured,
           coalesce((
             select jsonb_agg(e.entry order by e.position)
             from jsonb_array_elements(i.logs_captured) with ordinality as e(entry, position)
             where (${level}::text is null or e.entry->>'level' = ${level}::text)
               and (${logger}::text is null or e.entry->>'logger' = ${logger}::text)
               and (${search}::text is null
                    or strpos(lower(coalesce(e.entry->>'message', '')), lower(${search}::text)) > 0)
           ), '[]'::jsonb) as logs
    from downtime_incidents i where i.id = ${id}`);
  const row = result.rows[0];
  if (!row) return undefined;
  return { totalCaptured: Number(row.total_captured ?? 0), logs: Array.isArray(row.logs) ? row.logs : [] };
}

export interface LogAnalysis {
  total_logs: number;
  error_count: number;
  warning_count: number;
  error_types: Record<string, number>;
  /** [message (first 200 characters), occurrences], most frequent first, at most 10. */
  top_errors: [string, number][];
}

/** The seed's analysis of captured logs; undefined when no such incident. */
export async function analyzeIncidentLogs(db: Database, id: string): Promise<LogAnalysis | undefined> {
  const result = await db.execute<Record<string, unknown>>(sql`
    with i as (select logs_captured from downtime_incidents where id = ${id}),
    e as (select entry from i, jsonb_array_elements(i.logs_captured) as entry),
    errors as (select entry from e where entry->>'level' = 'ERROR')
    select (select count(*) from i)::int as found,
           (select count(*) from e)::int as total_logs,
           (select count(*) from errors)::int as error_count,
           (select count(*) from e where entry->>'level' = 'WARNING')::int as warning_count,
           coalesce((select jsonb_object_agg(kind, n) from (
             select coalesce(entry->>'error_type', 'Unknown') as kind, count(*)::int as n from errors group by 1) t),
             '{}'::jsonb) as error_types,
           coalesce((select jsonb_agg(jsonb_build_array(message, n) order by n desc, message) from (
             select left(coalesce(entry->>'message', ''), 200) as message, count(*)::int as n from errors
             group by 1 order by n desc, message limit 10) m), '[]'::jsonb) as top_errors`);
  const row = result.rows[0];
  if (!row || Number(row.found) === 0) return undefined;
  const top = Array.isArray(row.top_errors) ? row.top_errors : [];
  return {
    total_logs: Number(row.total_logs),
    error_count: Number(row.error_count),
    warning_count: Number(row.warning_count),
    error_types: countsObject(row.error_types),
    top_errors: top.map((pair: unknown): [string, number] => {
      const [message, n] = Array.isArray(pair) ? pair : [];
      return [String(message ?? ""), Number(n ?? 0)];
    }),
  };
}

/**
 * Resolves an incident now, unless it already is (one conditional statement, so two admins or an
 * admin and the watcher cannot both resolve it). `notes` left out keeps the incident's notes.
 */
export async function resolveIncident(
  db: Database,
  id: string,
  resolvedBy: string,
  notes: string | undefined,
): Promise<{ outcome: "resolved"; row: IncidentRow } | { outcome: "already_resolved" | "not_found" }> {
  const [row] = await db
    .update(downtimeIncidents)
    .set({
      status: "resolved",
      endedAt: sql`now()`,
      durationSeconds: sql`greatest(0, round(extract(epoch from (now() - ${downtimeIncidents.startedAt}))))::int`,
      resolvedBy,
      notes: notes ?? sql`${downtimeIncidents.notes}`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(downtimeIncidents.id, id), ne(downtimeIncidents.status, "resolved")))
    .returning();
  if (row) return { outcome: "resolved", row };
  return (await findIncident(db, id)) ? { outcome: "already_resolved" } : { outcome: "not_found" };
}
