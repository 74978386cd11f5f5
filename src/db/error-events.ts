// Error events: one insert per failure, and the patterns (events grouped by fingerprint) in SQL.
import { type SQL, sql } from "drizzle-orm";
import { type AnyDatabase, queryRows } from "./client";
import type { errorCategories, errorSeverities } from "./schema";

type Category = (typeof errorCategories)[number];
type Severity = (typeof errorSeverities)[number];

export interface NewErrorEvent {
  fingerprint: string;
  category: Category;
  severity: Severity;
  source: string;
  message: string;
  route?: string | null;
  statusCode?: number | null;
  requestId?: string | null;
  provider?: string | null;
  model?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to now (Loki lines keep their own time). */
  createdAt?: Date;
}

function insertValues(event: NewErrorEvent): SQL {
  return sql`(${event.fingerprint}, ${event.category}, ${event.severity}, ${event.source}, ${event.message},
    ${event.route ?? null}, ${event.statusCode ?? null}, ${event.requestId ?? null}, ${event.provider ?? null},
    ${event.model ?? null}, ${JSON.stringify(event.details ?? {})}::jsonb,
    coalesce(${event.createdAt?.toISOString() ?? null}::timestamptz, now()))`;
}

/** One insert statement for any number of (at least one) events. */
export function insertEventsStatement(events: readonly NewErrorEvent[]): SQL {
  return sql`insert into error_events (fingerprint, category, severity, source, message, route, status_code, request_id,
      provider, model, details, created_at)
    values ${sql.join(events.map(insertValues), sql`, `)}`;
}

export async function insertErrorEvents(db: AnyDatabase, events: readonly NewErrorEvent[]): Promise<void> {
  if (events.length > 0) await queryRows(db, insertEventsStatement(events));
}

export interface PatternFilter {
  since: Date;
  categories?: readonly Category[];
  severities?: readonly Severity[];
  source?: string;
  fingerprints?: readonly string[];
}

export type PatternOrder = "last_seen" | "count" | "severity";

export interface ErrorPattern {
  fingerprint: string;
  category: Category;
  severity: Severity;
  source: string;
  message: string;
  route: string | null;
  provider: string | null;
  model: string | null;
  statusCode: number | null;
  lastRequestId: string | null;
  errorType: string | null;
  stack: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  examples: string[];
}

const textList = (values: readonly string[]) =>
  sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;

function where(filter: PatternFilter): SQL {
  const parts: SQL[] = [sql`created_at >= ${filter.since.toISOString()}::timestamptz`];
  if (filter.categories?.length) parts.push(sql`category = any(${textList(filter.categories)})`);
  if (filter.severities?.length) parts.push(sql`severity = any(${textList(filter.severities)})`);
  if (filter.source) parts.push(sql`source = ${filter.source}`);
  if (filter.fingerprints?.length) parts.push(sql`fingerprint = any(${textList(filter.fingerprints)})`);
  return sql.join(parts, sql` and `);
}

const severityRankSql = sql`case e.severity when 'critical' then 5 when 'high' then 4 when 'medium' then 3 when 'low' then 2 else 1 end`;

const orderBy: Record<PatternOrder, SQL> = {
  last_seen: sql`g.last_seen desc, g.fingerprint`,
  count: sql`g.n desc, g.last_seen desc, g.fingerprint`,
  severity: sql`${severityRankSql} desc, g.n desc, g.fingerprint`,
};

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));
const asText = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** A page of patterns: counts, first/last seen and the latest occurrence's fields, in one statement. */
export async function findPatterns(
  db: AnyDatabase,
  filter: PatternFilter,
  page: { limit: number; offset: number; order: PatternOrder },
): Promise<ErrorPattern[]> {
  const rows = await queryRows(
    db,
    sql`
    with g as (
      select fingerprint, count(*)::int as n, min(created_at) as first_seen, max(created_at) as last_seen,
             max(id) as last_id, (array_agg(distinct message))[1:3] as examples
      from error_events where ${where(filter)}
      group by fingerprint
    )
    select g.fingerprint, g.n, g.first_seen, g.last_seen, g.examples, e.category, e.severity, e.source, e.message,
           e.route, e.provider, e.model, e.status_code, e.request_id, e.details->>'error_type' as error_type,
           e.details->>'stack' as stack
    from g join error_events e on e.id = g.last_id
    order by ${orderBy[page.order]}
    limit ${page.limit} offset ${page.offset}`,
  );
  return rows.map((row) => ({
    fingerprint: String(row.fingerprint),
    category: String(row.category) as Category,
    severity: String(row.severity) as Severity,
    source: String(row.source),
    message: String(row.message),
    route: asText(row.route),
    provider: asText(row.provider),
    model: asText(row.model),
    statusCode: row.status_code === null || row.status_code === undefined ? null : Number(row.status_code),
    lastRequestId: asText(row.request_id),
    errorType: asText(row.error_type),
    stack: asText(row.stack),
    count: Number(row.n),
    firstSeen: asDate(row.first_seen),
    lastSeen: asDate(row.last_seen),
    examples: Array.isArray(row.examples) ? row.examples.map(String) : [],
  }));
}

export interface PatternTotals {
  patterns: number;
  events: number;
}

export async function countPatterns(db: AnyDatabase, filter: PatternFilter): Promise<PatternTotals> {
  const [row] = await queryRows(
    db,
    sql`select count(distinct fingerprint)::int as patterns, count(*)::int as events from error_events where ${where(filter)}`,
  );
  return { patterns: Number(row?.patterns ?? 0), events: Number(row?.events ?? 0) };
}

/** Occurrences per category (the dashboard's patterns_by_category). */
export async function eventsByCategory(db: AnyDatabase, since: Date): Promise<Record<string, number>> {
  const rows = await queryRows(
    db,
    sql`select category, count(*)::int as n from error_events
        where created_at >= ${since.toISOString()}::timestamptz group by category order by category`,
  );
  return Object.fromEntries(rows.map((row) => [String(row.category), Number(row.n)]));
}

/** Events since a moment (the monitor status's errors_since_last_fix). */
export async function countEventsSince(db: AnyDatabase, since: Date | null): Promise<number> {
  const [row] = await queryRows(
    db,
    since
      ? sql`select count(*)::int as n from error_events where created_at > ${since.toISOString()}::timestamptz`
      : sql`select count(*)::int as n from error_events`,
  );
  return Number(row?.n ?? 0);
}
