import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses, jsonContent } from "../common.schemas";
import {
  categoryQuery,
  FixSchema,
  hoursQuery,
  MonitorStatusSchema,
  PaginationSchema,
  PatternSchema,
  pageQuery,
  severityQuery,
  sourceQuery,
} from "./error-monitor.schemas";

const tags = ["Admin: error monitor"];
const fromEvents =
  "Patterns are the recorded error events (5xx responses, failed upstream attempts, settlement retries, cron failures, ingested Loki lines) grouped by fingerprint in SQL.";

export const recentErrorsRoute = createRoute({
  method: "get",
  path: "/error-monitor/errors/recent",
  tags,
  summary: "The error patterns of the last hours, most recently seen first",
  description: `${fromEvents} \`count\` is the page's length, \`pagination.total\` every matching pattern.`,
  security: adminSecurity,
  request: {
    query: z.object({
      hours: hoursQuery(1, 24),
      ...pageQuery,
      category: categoryQuery,
      severity: severityQuery,
      source: sourceQuery,
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          count: z.number().int(),
          hours: z.number().int(),
          errors: z.array(PatternSchema),
          pagination: PaginationSchema,
        })
        .openapi("RecentErrors"),
      "Patterns",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const criticalErrorsRoute = createRoute({
  method: "get",
  path: "/error-monitor/errors/critical",
  tags,
  summary: "Patterns of severity critical or high, most frequent first",
  description: fromEvents,
  security: adminSecurity,
  request: { query: z.object({ hours: hoursQuery(1, 24), ...pageQuery }) },
  responses: {
    200: jsonContent(
      z
        .object({
          count: z.number().int(),
          hours: z.number().int(),
          critical_errors: z.array(PatternSchema),
          pagination: PaginationSchema,
        })
        .openapi("CriticalErrors"),
      "Critical patterns",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const fixableErrorsRoute = createRoute({
  method: "get",
  path: "/error-monitor/errors/fixable",
  tags,
  summary:
    "Patterns the seed calls fixable (rate limit, timeout, cache, database, auth), most severe then most frequent first",
  description: fromEvents,
  security: adminSecurity,
  request: { query: z.object({ hours: hoursQuery(1, 24), ...pageQuery }) },
  responses: {
    200: jsonContent(
      z
        .object({
          count: z.number().int(),
          hours: z.number().int(),
          fixable_errors: z.array(PatternSchema),
          pagination: PaginationSchema,
        })
        .openapi("FixableErrors"),
      "Fixable patterns",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const errorPatternsRoute = createRoute({
  method: "get",
  path: "/error-monitor/errors/patterns",
  tags,
  summary: "Every pattern of the window, most frequent first (count, first/last seen, sample message)",
  description: `${fromEvents} The default window is 24 hours (up to 30 days).`,
  security: adminSecurity,
  request: {
    query: z.object({
      hours: hoursQuery(24, 720),
      ...pageQuery,
      category: categoryQuery,
      severity: severityQuery,
      source: sourceQuery,
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          total_patterns: z.number().int(),
          total_events: z.number().int(),
          hours: z.number().int(),
          count: z.number().int(),
          patterns: z.array(PatternSchema),
          pagination: PaginationSchema,
        })
        .openapi("ErrorPatterns"),
      "Patterns",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const dashboardRoute = createRoute({
  method: "get",
  path: "/error-monitor/dashboard",
  tags,
  summary: "Summary counts with the top 10 critical and fixable patterns and the 10 newest fix suggestions",
  description: "patterns_by_category counts occurrences (not patterns) per category in the window (default 24 hours).",
  security: adminSecurity,
  request: { query: z.object({ hours: hoursQuery(24, 168) }) },
  responses: {
    200: jsonContent(
      z
        .object({
          timestamp: z.string(),
          hours: z.number().int(),
          summary: z.object({
            total_patterns: z.number().int(),
            total_events: z.number().int(),
            critical_errors: z.number().int(),
            fixable_errors: z.number().int(),
            generated_fixes: z.number().int(),
            patterns_by_category: z.record(z.string(), z.number().int()),
          }),
          recent_critical: z.array(PatternSchema),
          recent_fixable: z.array(PatternSchema),
          recent_fixes: z.array(FixSchema),
        })
        .openapi("ErrorDashboard"),
      "Dashboard",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const monitorStatusRoute = createRoute({
  method: "get",
  path: "/error-monitor/autonomous/status",
  tags,
  summary: "Whether the scheduled scan is on, its interval, the last scan and its result",
  description:
    "The scan is the every-minute cron, which scans when the interval has passed and the monitor is started.",
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z.object({ status: z.literal("ok"), monitor: MonitorStatusSchema }).openapi("ErrorMonitorStatusResponse"),
      "Status",
    ),
    ...errorResponses(401, 403, 500, 503),
  },
});
