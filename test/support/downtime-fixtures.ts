// Shared by the downtime API tests: incidents written directly (each under a component of its own)
// and admin calls.
import { sql } from "drizzle-orm";
import { execute, uniqueName } from "./accounts";
import { TEST_ADMIN_API_KEY } from "./bindings";
import { call } from "./gateway";

export interface Incident {
  id: string;
  status: string;
  severity: string;
  component: string;
  started_at: string;
  ended_at: string | null;
  duration_seconds: number | null;
  resolved_by: string | null;
  notes: string | null;
  log_count: number;
  logs_captured: { message: string; level: string; labels: Record<string, string> }[];
}

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

export async function insertIncident(fields: {
  environment?: string;
  status?: "ongoing" | "resolved" | "investigating";
  severity?: "low" | "medium" | "high" | "critical";
  startedAt: Date;
  durationSeconds?: number | null;
  logs?: unknown[];
  notes?: string | null;
}): Promise<string> {
  const status = fields.status ?? "ongoing";
  const ended =
    status === "resolved" ? new Date(fields.startedAt.getTime() + (fields.durationSeconds ?? 0) * 1000) : null;
  const logs = fields.logs ?? [];
  const [row] = await execute(sql`
    insert into downtime_incidents (component, started_at, detected_at, ended_at, duration_seconds, status, severity,
      environment, logs_captured, log_count, health_endpoint, error_message, notes)
    values (${uniqueName("dtapi")}, ${fields.startedAt.toISOString()}::timestamptz, ${fields.startedAt.toISOString()}::timestamptz,
      ${ended?.toISOString() ?? null}::timestamptz, ${status === "resolved" ? (fields.durationSeconds ?? null) : null},
      ${status}, ${fields.severity ?? "high"}, ${fields.environment ?? "test"}, ${JSON.stringify(logs)}::jsonb, ${logs.length},
      'redis: PING', 'Connection refused', ${fields.notes ?? null})
    returning id`);
  return String(row?.id);
}

export const get = async <T>(path: string, key = TEST_ADMIN_API_KEY): Promise<{ status: number; body: T }> => {
  const response = await call(path, { key });
  return { status: response.status, body: (await response.json()) as T };
};
export const post = async <T>(path: string, key = TEST_ADMIN_API_KEY): Promise<{ status: number; body: T }> => {
  const response = await call(path, { method: "POST", key });
  return { status: response.status, body: (await response.json()) as T };
};

export const entry = (level: string, logger: string, message: string, errorType?: string) => ({
  timestamp: new Date().toISOString(),
  level,
  logger,
  message,
  labels: { source: "error_events" },
  ...(errorType ? { error_type: errorType } : {}),
});
