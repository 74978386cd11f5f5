// Incident rows and stored log entries in the API's shapes.
import type { z } from "@hono/zod-openapi";
import type { IncidentRow } from "../../../db/downtime-watch";
import type { IncidentSchema, LogEntrySchema } from "./downtime.schemas";

type LogEntry = z.infer<typeof LogEntrySchema>;

const text = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);

/** A stored entry as the schema says it is (entries are JSON written by the capture; be strict on the way out). */
export function logEntryOf(raw: unknown): LogEntry {
  const entry: Record<string, unknown> = typeof raw === "object" && raw !== null ? { ...raw } : {};
  const labels = typeof entry.labels === "object" && entry.labels !== null ? entry.labels : {};
  const result: LogEntry = {
    timestamp: text(entry.timestamp),
    level: text(entry.level, "INFO"),
    logger: text(entry.logger),
    message: text(entry.message),
    labels: Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, String(value)])),
  };
  if (typeof entry.error_type === "string") result.error_type = entry.error_type;
  return result;
}

export function incidentOf(row: IncidentRow): z.infer<typeof IncidentSchema> {
  return {
    id: row.id,
    component: row.component,
    started_at: row.startedAt.toISOString(),
    detected_at: row.detectedAt.toISOString(),
    ended_at: row.endedAt?.toISOString() ?? null,
    duration_seconds: row.durationSeconds,
    health_endpoint: row.healthEndpoint,
    error_message: row.errorMessage,
    http_status_code: row.httpStatusCode,
    response_body: row.responseBody,
    status: row.status,
    severity: row.severity,
    environment: row.environment,
    logs_captured: (Array.isArray(row.logsCaptured) ? row.logsCaptured : []).map(logEntryOf),
    log_count: row.logCount,
    logs_file_path: row.logsFilePath,
    resolved_by: row.resolvedBy,
    notes: row.notes,
    server_info: row.serverInfo,
    metrics_snapshot: row.metricsSnapshot,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
