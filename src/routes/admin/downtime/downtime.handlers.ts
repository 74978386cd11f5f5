import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  analyzeIncidentLogs,
  filteredIncidentLogs,
  findIncident,
  incidentStatistics,
  listIncidents,
  ongoingIncidents,
  resolveIncident,
} from "../../../db/downtime-incidents";
import type { AppEnv } from "../../../env";
import { badRequest, notFound } from "../../../lib/errors";
import { captureIncidentLogs } from "../../../operations/incident-logs";
import { incidentOf, logEntryOf } from "./downtime.present";
import type {
  captureLogsRoute,
  getIncidentRoute,
  incidentAnalysisRoute,
  incidentLogsRoute,
  listIncidentsRoute,
  ongoingIncidentsRoute,
  resolveIncidentRoute,
  statisticsRoute,
} from "./downtime.routes";

const incidentNotFound = () => notFound("Incident not found", "incident_not_found");

export const listIncidentsHandler: RouteHandler<typeof listIncidentsRoute, AppEnv> = async (c) => {
  const { rows, totals } = await listIncidents(c.var.db(), c.req.valid("query"));
  return c.json(
    {
      status: "success" as const,
      total_incidents: totals.total,
      ongoing: totals.ongoing,
      resolved: totals.resolved,
      incidents: rows.map(incidentOf),
    },
    200,
  );
};

export const ongoingIncidentsHandler: RouteHandler<typeof ongoingIncidentsRoute, AppEnv> = async (c) => {
  const rows = await ongoingIncidents(c.var.db());
  return c.json({ status: "success" as const, count: rows.length, incidents: rows.map(incidentOf) }, 200);
};

export const statisticsHandler: RouteHandler<typeof statisticsRoute, AppEnv> = async (c) => {
  const { days } = c.req.valid("query");
  const statistics = await incidentStatistics(c.var.db(), days);
  return c.json({ status: "success" as const, period_days: days, statistics }, 200);
};

export const getIncidentHandler: RouteHandler<typeof getIncidentRoute, AppEnv> = async (c) => {
  const row = await findIncident(c.var.db(), c.req.valid("param").incident_id);
  if (!row) throw incidentNotFound();
  return c.json({ status: "success" as const, incident: incidentOf(row) }, 200);
};

export const incidentLogsHandler: RouteHandler<typeof incidentLogsRoute, AppEnv> = async (c) => {
  const { level, logger_name, search } = c.req.valid("query");
  const found = await filteredIncidentLogs(c.var.db(), c.req.valid("param").incident_id, {
    level,
    logger: logger_name,
    search,
  });
  if (!found) throw incidentNotFound();
  if (found.totalCaptured === 0) {
    return c.json(
      { status: "success" as const, message: "No logs captured for this incident", total_logs: 0, logs: [] },
      200,
    );
  }
  return c.json(
    {
      status: "success" as const,
      total_logs: found.logs.length,
      total_captured: found.totalCaptured,
      filters: { level: level ?? null, logger: logger_name ?? null, search: search ?? null },
      logs: found.logs.map(logEntryOf),
    },
    200,
  );
};

export const incidentAnalysisHandler: RouteHandler<typeof incidentAnalysisRoute, AppEnv> = async (c) => {
  const id = c.req.valid("param").incident_id;
  const analysis = await analyzeIncidentLogs(c.var.db(), id);
  if (!analysis) throw incidentNotFound();
  if (analysis.total_logs === 0) {
    return c.json({ status: "success" as const, message: "No logs to analyze", analysis: null }, 200);
  }
  return c.json({ status: "success" as const, incident_id: id, analysis }, 200);
};

export const captureLogsHandler: RouteHandler<typeof captureLogsRoute, AppEnv> = async (c) => {
  const db = c.var.db();
  const row = await findIncident(db, c.req.valid("param").incident_id);
  if (!row) throw incidentNotFound();
  if (row.status !== "ongoing") throw badRequest("Can only capture logs for ongoing incidents", "incident_not_ongoing");
  const result = await captureIncidentLogs(db, c.var.config, { id: row.id, startedAt: row.startedAt });
  return c.json({ status: "success" as const, message: "Log capture triggered", result }, 200);
};

/** Seed: "admin:{email or id}"; the bootstrap ADMIN_API_KEY has neither. */
function resolverOf(c: Context<AppEnv>): string {
  const auth = c.var.auth;
  if (auth.kind === "user") return `admin:${auth.user.email || auth.user.id}`;
  return "admin:bootstrap";
}

export const resolveIncidentHandler: RouteHandler<typeof resolveIncidentRoute, AppEnv> = async (c) => {
  const outcome = await resolveIncident(
    c.var.db(),
    c.req.valid("param").incident_id,
    resolverOf(c),
    c.req.valid("query").notes,
  );
  if (outcome.outcome !== "resolved") {
    if (outcome.outcome === "not_found") throw incidentNotFound();
    throw badRequest("Incident is already resolved", "incident_already_resolved");
  }
  return c.json({ status: "success" as const, message: "Incident resolved", incident: incidentOf(outcome.row) }, 200);
};
