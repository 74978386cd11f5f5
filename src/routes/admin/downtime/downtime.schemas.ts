// Schemas of the admin downtime API (seed 001 L2926-3827).
import { z } from "@hono/zod-openapi";
import { incidentSeverities, incidentStatuses } from "../../../db/schema";

export const logLevels = ["ERROR", "WARNING", "INFO", "DEBUG"] as const;

export const LogEntrySchema = z
  .object({
    timestamp: z.string(),
    level: z.string().openapi({ description: "ERROR, WARNING, INFO or DEBUG" }),
    logger: z.string().openapi({ description: "The error event's source (http, upstream, cron, …) or Loki's logger" }),
    message: z.string(),
    labels: z.record(z.string(), z.string()).openapi({ description: "`source` is error_events or loki" }),
    error_type: z.string().optional().openapi({ description: "The error category (PROVIDER_ERROR, …) when known" }),
  })
  .openapi("DowntimeLogEntry");

export const IncidentSchema = z
  .object({
    id: z.string(),
    component: z.string().openapi({ description: "What was down: postgres, redis or provider:<slug>" }),
    started_at: z.string().openapi({ description: "The first failed check of the run that opened the incident" }),
    detected_at: z.string().openapi({ description: "The check that reached INCIDENT_FAILURE_THRESHOLD" }),
    ended_at: z
      .string()
      .nullable()
      .openapi({ description: "The first good check of the recovery, or when an admin resolved it" }),
    duration_seconds: z.number().int().nullable(),
    health_endpoint: z.string().nullable().openapi({ description: "What was probed" }),
    error_message: z.string().nullable(),
    http_status_code: z.number().int().nullable(),
    response_body: z.string().nullable(),
    status: z.enum(incidentStatuses),
    severity: z.enum(incidentSeverities),
    environment: z.string(),
    logs_captured: z.array(LogEntrySchema),
    log_count: z.number().int(),
    logs_file_path: z.string().nullable(),
    resolved_by: z
      .string()
      .nullable()
      .openapi({ description: "admin:<email>, admin:bootstrap, or system:health-watch when it recovered by itself" }),
    notes: z.string().nullable(),
    server_info: z.record(z.string(), z.unknown()),
    metrics_snapshot: z.record(z.string(), z.unknown()).openapi({ description: "The numbers behind the verdict" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("DowntimeIncident");

export const IncidentListSchema = z
  .object({
    status: z.literal("success"),
    total_incidents: z
      .number()
      .int()
      .openapi({ description: "Every incident matching the filters (not only this page)" }),
    ongoing: z.number().int(),
    resolved: z.number().int(),
    incidents: z.array(IncidentSchema),
  })
  .openapi("DowntimeIncidentList");

export const OngoingIncidentsSchema = z
  .object({ status: z.literal("success"), count: z.number().int(), incidents: z.array(IncidentSchema) })
  .openapi("OngoingDowntimeIncidents");

export const StatisticsSchema = z
  .object({
    status: z.literal("success"),
    period_days: z.number().int(),
    statistics: z.object({
      total_incidents: z.number().int(),
      total_downtime_seconds: z.number().int(),
      average_duration_seconds: z.number().int(),
      by_severity: z.record(z.string(), z.number().int()),
      by_status: z.record(z.string(), z.number().int()),
    }),
  })
  .openapi("DowntimeStatistics");

export const IncidentEnvelopeSchema = z
  .object({ status: z.literal("success"), incident: IncidentSchema })
  .openapi("DowntimeIncidentEnvelope");

export const IncidentLogsSchema = z
  .object({
    status: z.literal("success"),
    message: z.string().optional().openapi({ description: "Only when the incident has no captured logs" }),
    total_logs: z.number().int().openapi({ description: "Entries matching the filters" }),
    total_captured: z.number().int().optional(),
    filters: z
      .object({ level: z.string().nullable(), logger: z.string().nullable(), search: z.string().nullable() })
      .optional(),
    logs: z.array(LogEntrySchema),
  })
  .openapi("DowntimeIncidentLogs");

export const AnalysisSchema = z
  .object({
    status: z.literal("success"),
    incident_id: z.string().optional(),
    message: z.string().optional().openapi({ description: "Only when there are no logs to analyze" }),
    analysis: z
      .object({
        total_logs: z.number().int(),
        error_count: z.number().int(),
        warning_count: z.number().int(),
        error_types: z.record(z.string(), z.number().int()),
        top_errors: z
          .array(z.tuple([z.string(), z.number().int()]))
          .openapi({ description: "[message (first 200 characters), count] of ERROR entries, at most 10" }),
      })
      .nullable(),
  })
  .openapi("DowntimeLogAnalysis");

export const CaptureSchema = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    result: z.object({
      success: z.boolean(),
      log_count: z.number().int(),
      truncated: z.boolean(),
      storage: z.literal("database"),
      sources: z.object({ error_events: z.number().int(), loki: z.number().int().nullable() }),
      error: z.string().optional(),
    }),
  })
  .openapi("DowntimeLogCapture");

export const ResolvedSchema = z
  .object({ status: z.literal("success"), message: z.string(), incident: IncidentSchema })
  .openapi("DowntimeIncidentResolved");

export const incidentIdParams = z.object({
  incident_id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "incident_id", in: "path" }, description: "The incident's id (a UUID)" }),
});
