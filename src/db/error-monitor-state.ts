// The error monitor's state in operation_settings (key "error_monitor"): whether the operator started
// it, its interval, the last scan and the Loki cursor. Shared by every isolate and the cron.
import { sql } from "drizzle-orm";
import { type AnyDatabase, type Database, queryRows } from "./client";
import { insertEventsStatement, type NewErrorEvent } from "./error-events";

export const MONITOR_KEY = "error_monitor";

export interface ScanSummary {
  hours: number;
  errors_found: number;
  patterns_found: number;
  critical_errors: number;
  fixable_errors: number;
  loki: { enabled: boolean; fetched: number; ingested: number; error: string | null };
  auto_fixes_started: number;
  /** The patterns (fingerprints) the auto-fix started suggestions for. */
  auto_fix_targets: string[];
  trigger: "manual" | "cron";
}

export interface MonitorState {
  enabled: boolean;
  auto_fix: boolean;
  interval_seconds: number;
  started_at: string | null;
  started_by: string | null;
  stopped_at: string | null;
  last_scan_at: string | null;
  last_scan: ScanSummary | null;
  /** Nanoseconds of the newest Loki line already ingested. */
  loki_cursor_ns: string | null;
}

export const defaultMonitorState: MonitorState = {
  enabled: false,
  auto_fix: false,
  interval_seconds: 300,
  started_at: null,
  started_by: null,
  stopped_at: null,
  last_scan_at: null,
  last_scan: null,
  loki_cursor_ns: null,
};

function stateOf(value: unknown): MonitorState {
  const stored = typeof value === "string" ? JSON.parse(value) : value;
  return { ...defaultMonitorState, ...(typeof stored === "object" && stored !== null ? stored : {}) };
}

export async function readMonitorState(db: AnyDatabase): Promise<MonitorState> {
  const [row] = await queryRows(db, sql`select value from operation_settings where key = ${MONITOR_KEY}`);
  return stateOf(row?.value);
}

/** Merges `patch` into the stored state (creating it); returns the state before and after. */
async function patchState(
  db: AnyDatabase,
  patch: Partial<MonitorState>,
  keepStart = false,
): Promise<{ before: MonitorState; after: MonitorState }> {
  const initial = JSON.stringify({ ...defaultMonitorState, ...patch });
  const json = JSON.stringify(patch);
  // Starting an already running monitor keeps its original start (start is idempotent).
  const kept = keepStart
    ? sql`case when (operation_settings.value->>'enabled')::boolean
        then jsonb_build_object('started_at', operation_settings.value->'started_at', 'started_by', operation_settings.value->'started_by')
        else '{}'::jsonb end`
    : sql`'{}'::jsonb`;
  const [row] = await queryRows(
    db,
    sql`
    with old as (select value from operation_settings where key = ${MONITOR_KEY}),
    up as (
      insert into operation_settings (key, value) values (${MONITOR_KEY}, ${initial}::jsonb)
      on conflict (key) do update set value = operation_settings.value || ${json}::jsonb || ${kept}, updated_at = now()
      returning value
    )
    select (select value from old) as before, (select value from up) as after`,
  );
  return { before: stateOf(row?.before), after: stateOf(row?.after) };
}

export async function startMonitor(
  db: AnyDatabase,
  settings: { intervalSeconds: number; autoFix: boolean; startedBy: string },
): Promise<{ alreadyRunning: boolean; state: MonitorState }> {
  const { before, after } = await patchState(
    db,
    {
      enabled: true,
      auto_fix: settings.autoFix,
      interval_seconds: settings.intervalSeconds,
      started_at: new Date().toISOString(),
      started_by: settings.startedBy,
      stopped_at: null,
    },
    true,
  );
  return { alreadyRunning: before.enabled, state: after };
}

export async function stopMonitor(db: AnyDatabase): Promise<{ wasRunning: boolean; state: MonitorState }> {
  const { before, after } = await patchState(db, { enabled: false, stopped_at: new Date().toISOString() });
  return { wasRunning: before.enabled, state: after };
}

export async function saveScan(db: AnyDatabase, at: Date, summary: ScanSummary): Promise<void> {
  await patchState(db, { last_scan_at: at.toISOString(), last_scan: summary });
}

/**
 * The cron's claim on a due scan: marks it started if the monitor is on and its interval has passed
 * since the last scan (10 s of slack for the minute ticks). At most one tick wins a claim.
 */
export async function claimDueScan(db: AnyDatabase, now: Date): Promise<MonitorState | undefined> {
  const [row] = await queryRows(
    db,
    sql`
    update operation_settings
    set value = value || jsonb_build_object('last_scan_at', ${now.toISOString()}::text), updated_at = now()
    where key = ${MONITOR_KEY} and (value->>'enabled')::boolean
      and (value->>'last_scan_at' is null
           or (value->>'last_scan_at')::timestamptz
              <= ${now.toISOString()}::timestamptz - make_interval(secs => greatest((value->>'interval_seconds')::int - 10, 0)))
    returning value`,
  );
  return row ? stateOf(row.value) : undefined;
}

/**
 * Ingests Loki lines newer than the stored cursor and advances it, in one transaction holding the
 * state row, so two scans at once never ingest the same line twice. Returns how many were new.
 */
export async function ingestAfterCursor(
  db: Database,
  entries: readonly { timestampNs: string; event: NewErrorEvent }[],
): Promise<number> {
  if (entries.length === 0) return 0;
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into operation_settings (key, value) values (${MONITOR_KEY}, ${JSON.stringify(defaultMonitorState)}::jsonb)
          on conflict (key) do nothing`,
    );
    const locked = await tx.execute(
      sql`select value->>'loki_cursor_ns' as cursor from operation_settings where key = ${MONITOR_KEY} for update`,
    );
    const cursorText = locked.rows[0]?.cursor;
    const cursor = typeof cursorText === "string" && /^\d+$/.test(cursorText) ? BigInt(cursorText) : -1n;
    const fresh = entries.filter((entry) => BigInt(entry.timestampNs) > cursor);
    if (fresh.length === 0) return 0;
    await tx.execute(insertEventsStatement(fresh.map((entry) => entry.event)));
    const newest = fresh.reduce(
      (max, entry) => (BigInt(entry.timestampNs) > max ? BigInt(entry.timestampNs) : max),
      cursor,
    );
    await tx.execute(
      sql`update operation_settings set value = value || jsonb_build_object('loki_cursor_ns', ${newest.toString()}::text),
          updated_at = now() where key = ${MONITOR_KEY}`,
    );
    return fresh.length;
  });
}
