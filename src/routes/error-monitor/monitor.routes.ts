import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses, jsonContent } from "../common.schemas";
import { hoursQuery, MonitorStatusSchema, PatternSchema, queryFlag, ScanSummarySchema } from "./error-monitor.schemas";

const tags = ["Admin: error monitor"];

export const scanRoute = createRoute({
  method: "post",
  path: "/error-monitor/monitor/scan",
  tags,
  summary: "Scan now: ingest new Loki error lines (when LOKI_URL is set) and aggregate the window's patterns",
  description:
    "Loki lines newer than the last ingested one become error events (source loki). With auto_fix, fix suggestions (with pull requests when GitHub is configured) start in the background for up to 3 fixable patterns that had none in the last 24 hours; 503 when ERROR_MONITOR_MODEL is not set.",
  security: adminSecurity,
  request: { query: z.object({ hours: hoursQuery(1, 24), auto_fix: queryFlag }) },
  responses: {
    200: jsonContent(
      ScanSummarySchema.extend({ status: z.literal("scanned"), patterns: z.array(PatternSchema) }).openapi("ErrorScan"),
      "Scan result (patterns: the 10 most frequent)",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const startMonitorRoute = createRoute({
  method: "post",
  path: "/error-monitor/monitor/start",
  tags,
  summary: "Turn the scheduled scan on (the every-minute cron scans each `interval` seconds)",
  description:
    "Stored in operation_settings, so it holds across isolates and restarts. Starting a running monitor is idempotent: it keeps its start time and takes the new interval and auto_fix.",
  security: adminSecurity,
  request: {
    query: z.object({
      interval: z.coerce.number().int().min(60).max(3600).default(300).openapi({ description: "Seconds, 60-3600" }),
      auto_fix: queryFlag,
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("started"),
          already_running: z.boolean(),
          interval_seconds: z.number().int(),
          auto_fix: z.boolean(),
          message: z.string(),
          monitor: MonitorStatusSchema.pick({ enabled: true, scan_interval: true, started_at: true, started_by: true }),
        })
        .openapi("ErrorMonitorStarted"),
      "Started",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const stopMonitorRoute = createRoute({
  method: "post",
  path: "/error-monitor/monitor/stop",
  tags,
  summary: "Turn the scheduled scan off (idempotent)",
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z
        .object({ status: z.literal("stopped"), was_running: z.boolean(), message: z.string() })
        .openapi("ErrorMonitorStopped"),
      "Stopped",
    ),
    ...errorResponses(401, 403, 500, 503),
  },
});
