import { createRoute, z } from "@hono/zod-openapi";
import { incidentSeverities, incidentStatuses } from "../../../db/schema";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";
import {
  AnalysisSchema,
  CaptureSchema,
  IncidentEnvelopeSchema,
  IncidentListSchema,
  IncidentLogsSchema,
  incidentIdParams,
  logLevels,
  OngoingIncidentsSchema,
  ResolvedSchema,
  StatisticsSchema,
} from "./downtime.schemas";

const tags = ["Admin: downtime"];
const byIdNote =
  " An id that names no incident (malformed ones included: ids are compared as text) is 404 `Incident not found`.";

export const listIncidentsRoute = createRoute({
  method: "get",
  path: "/admin/downtime/incidents",
  tags,
  summary: "Downtime incidents, newest first, with counts",
  description:
    "Filters combine. `total_incidents`, `ongoing` and `resolved` count every incident matching the filters " +
    "(the seed counted only the returned page).",
  security: adminSecurity,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      status: z.enum(incidentStatuses).optional(),
      severity: z.enum(incidentSeverities).optional(),
      environment: z.string().min(1).max(100).optional(),
    }),
  },
  responses: {
    200: jsonContent(IncidentListSchema, "The incidents"),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const ongoingIncidentsRoute = createRoute({
  method: "get",
  path: "/admin/downtime/incidents/ongoing",
  tags,
  summary: "Incidents with status ongoing, newest first",
  security: adminSecurity,
  responses: {
    200: jsonContent(OngoingIncidentsSchema, "The ongoing incidents"),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const statisticsRoute = createRoute({
  method: "get",
  path: "/admin/downtime/statistics",
  tags,
  summary: "Incidents that started in the last `days` days: count, downtime, by severity and status",
  description:
    "`total_downtime_seconds` sums the durations of resolved incidents (an ongoing one adds none yet); " +
    "`average_duration_seconds` divides it by every incident, rounded down, as the seed did. A database " +
    "failure is an error, not zeroed statistics.",
  security: adminSecurity,
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) },
  responses: {
    200: jsonContent(StatisticsSchema, "The statistics"),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const getIncidentRoute = createRoute({
  method: "get",
  path: "/admin/downtime/incidents/{incident_id}",
  tags,
  summary: "One incident with its captured logs",
  description: byIdNote.trim(),
  security: adminSecurity,
  request: { params: incidentIdParams },
  responses: {
    200: jsonContent(IncidentEnvelopeSchema, "The incident"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const incidentLogsRoute = createRoute({
  method: "get",
  path: "/admin/downtime/incidents/{incident_id}/logs",
  tags,
  summary: "The incident's captured logs, filtered by level, logger and a case-insensitive search of the message",
  description: `Filters combine (AND); matching happens in SQL.${byIdNote}`,
  security: adminSecurity,
  request: {
    params: incidentIdParams,
    query: z.object({
      level: z.enum(logLevels).optional(),
      logger_name: z.string().min(1).max(200).optional().openapi({ description: "Exact logger (e.g. upstream)" }),
      search: z.string().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: jsonContent(IncidentLogsSchema, "The matching logs"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const incidentAnalysisRoute = createRoute({
  method: "get",
  path: "/admin/downtime/incidents/{incident_id}/analysis",
  tags,
  summary: "Error and warning counts, error types and the 10 most frequent error messages of the captured logs",
  description: byIdNote.trim(),
  security: adminSecurity,
  request: { params: incidentIdParams },
  responses: {
    200: jsonContent(AnalysisSchema, "The analysis (null when there are no logs)"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const captureLogsRoute = createRoute({
  method: "post",
  path: "/admin/downtime/incidents/{incident_id}/capture-logs",
  tags,
  summary: "Capture the logs of an ongoing incident's window again (error events, and Loki when LOKI_URL is set)",
  description:
    "Window: 5 minutes before started_at until now; at most 10,000 entries, oldest first. A Loki failure is " +
    "a 200 with `result.success: false` and its error, and keeps any logs already stored. " +
    `Only ongoing incidents: otherwise 400 \`Can only capture logs for ongoing incidents\`.${byIdNote}`,
  security: adminSecurity,
  request: { params: incidentIdParams },
  responses: {
    200: jsonContent(CaptureSchema, "The capture's outcome"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const resolveIncidentRoute = createRoute({
  method: "post",
  path: "/admin/downtime/incidents/{incident_id}/resolve",
  tags,
  summary: "Resolve an incident now, with optional notes",
  description:
    "Sets ended_at (now), duration_seconds, resolved_by (`admin:<email>`, `admin:bootstrap` for ADMIN_API_KEY) " +
    "and notes (left as they were when `notes` is not given). 400 `Incident is already resolved`. If the " +
    `component is still failing, the health watcher opens a new incident after INCIDENT_FAILURE_THRESHOLD more failed checks.${byIdNote}`,
  security: adminSecurity,
  request: {
    params: incidentIdParams,
    query: z.object({ notes: z.string().max(5000).optional() }),
  },
  responses: {
    200: jsonContent(ResolvedSchema, "The resolved incident"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});
