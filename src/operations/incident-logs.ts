// An incident's logs: the gateway's error events of the window (from PRE_DOWNTIME_MINUTES before the
// incident started until now) and, when LOKI_URL is set, Grafana Loki's lines of the same window (as
// the seed's capture did). Stored on the incident in the seed's entry shape
// {timestamp, level, logger, message, labels, error_type?}; labels.source says where an entry came from.
import type { Database } from "../db/client";
import { errorEventsBetween, storeIncidentLogs } from "../db/downtime-watch";
import type { Config } from "../env";
import { type LokiEntry, lokiEnabled, queryLoki } from "./loki";

export const PRE_DOWNTIME_MINUTES = 5;
export const MAX_LOGS_TO_CAPTURE = 10_000;
/** The seed's Loki timeout. */
const LOKI_TIMEOUT_MS = 30_000;

export type LogLevel = "ERROR" | "WARNING" | "INFO" | "DEBUG";

export interface CapturedLog {
  [key: string]: unknown;
  timestamp: string;
  level: LogLevel;
  logger: string;
  message: string;
  labels: Record<string, string>;
  error_type?: string;
}

export interface CaptureResult {
  success: boolean;
  log_count: number;
  truncated: boolean;
  storage: "database";
  /** Entries found per source; loki is null when LOKI_URL is not set or the query failed. */
  sources: { error_events: number; loki: number | null };
  error?: string;
}

export function isoOf(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** Error events are failures: critical, high and medium read as ERROR, low as WARNING, info as INFO. */
function levelOfSeverity(severity: string): LogLevel {
  if (severity === "low") return "WARNING";
  if (severity === "info") return "INFO";
  return "ERROR";
}

function fromErrorEvent(row: Record<string, unknown>): CapturedLog {
  const labels: Record<string, string> = { source: "error_events" };
  for (const name of [
    "fingerprint",
    "category",
    "severity",
    "route",
    "status_code",
    "request_id",
    "provider",
    "model",
  ]) {
    const value = row[name];
    if (value !== null && value !== undefined) labels[name] = String(value);
  }
  return {
    timestamp: isoOf(row.created_at),
    level: levelOfSeverity(String(row.severity)),
    logger: String(row.source),
    message: String(row.message),
    labels,
    error_type: String(row.category),
  };
}

function normalLevel(value: unknown): LogLevel {
  const level = String(value ?? "").toLowerCase();
  if (/^(err|error|fatal|critical|crit|panic|emerg|alert)$/.test(level)) return "ERROR";
  if (/^warn(ing)?$/.test(level)) return "WARNING";
  if (/^(debug|trace)$/.test(level)) return "DEBUG";
  return "INFO";
}

const textOf = (...values: unknown[]) => values.find((value) => typeof value === "string" && value.length > 0);

/** A Loki line: JSON lines give their level/logger/message fields; plain text is the message. */
export function fromLokiEntry(entry: LokiEntry): CapturedLog {
  let fields: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(entry.line);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) fields = { ...parsed };
  } catch {
    // Not JSON: the whole line is the message.
  }
  const labels = entry.labels;
  const errorType = textOf(fields.error_type, fields.exc_type, fields.error_name);
  return {
    timestamp: entry.timestamp.toISOString(),
    level: normalLevel(textOf(fields.level, fields.levelname, labels.level, labels.detected_level)),
    logger: String(textOf(fields.logger, fields.name, labels.logger, labels.job, labels.app) ?? "loki"),
    message: String(textOf(fields.message, fields.msg) ?? entry.line),
    labels: { ...labels, source: "loki" },
    ...(typeof errorType === "string" ? { error_type: errorType } : {}),
  };
}

async function lokiLines(
  config: Config,
  from: Date,
  to: Date,
): Promise<{ logs: CapturedLog[] } | { error: string } | undefined> {
  if (!lokiEnabled(config)) return undefined;
  try {
    const entries = await queryLoki(config, {
      query: config.LOKI_QUERY,
      start: from,
      end: to,
      limit: MAX_LOGS_TO_CAPTURE,
      direction: "forward",
      timeoutMs: LOKI_TIMEOUT_MS,
    });
    return { logs: entries.map(fromLokiEntry) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Captures and stores the logs of an incident's window, oldest first, at most MAX_LOGS_TO_CAPTURE
 * (the earliest, as the seed kept). A capture whose Loki query failed only fills an incident that has
 * no logs yet, so it never replaces a fuller earlier capture.
 */
export async function captureIncidentLogs(
  db: Database,
  config: Config,
  incident: { id: string; startedAt: Date },
  end: Date = new Date(),
): Promise<CaptureResult> {
  const from = new Date(incident.startedAt.getTime() - PRE_DOWNTIME_MINUTES * 60_000);
  const loki = await lokiLines(config, from, end);
  const lokiLogs = loki && "logs" in loki ? loki.logs : undefined;
  const lokiError = loki && "error" in loki ? loki.error : undefined;
  // The error monitor imports Loki lines as error events too: with Loki's own lines, skip those copies.
  const events = await errorEventsBetween(db, {
    from,
    to: end,
    limit: MAX_LOGS_TO_CAPTURE,
    skipLokiCopies: lokiLogs !== undefined,
  });
  const merged = [...events.map(fromErrorEvent), ...(lokiLogs ?? [])].sort((a, b) =>
    a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0,
  );
  const logs = merged.slice(0, MAX_LOGS_TO_CAPTURE);
  const stored = logs.length > 0 && (await storeIncidentLogs(db, incident.id, logs, lokiError !== undefined));
  const result: CaptureResult = {
    success: stored && lokiError === undefined,
    log_count: stored ? logs.length : 0,
    truncated: merged.length > logs.length,
    storage: "database",
    sources: { error_events: events.length, loki: lokiLogs?.length ?? null },
  };
  if (lokiError !== undefined) result.error = lokiError;
  else if (logs.length === 0) result.error = "No logs found for the incident window";
  return result;
}
