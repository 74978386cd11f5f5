import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./downtime.handlers";
import * as routes from "./downtime.routes";

const router = createRouter();
router.use("/admin/downtime/*", requireAdmin);

// `incidents/ongoing` before `incidents/{incident_id}`, so the fixed path is never read as an id.
export const adminDowntimeRoutes = router
  .openapi(routes.listIncidentsRoute, handlers.listIncidentsHandler)
  .openapi(routes.ongoingIncidentsRoute, handlers.ongoingIncidentsHandler)
  .openapi(routes.statisticsRoute, handlers.statisticsHandler)
  .openapi(routes.getIncidentRoute, handlers.getIncidentHandler)
  .openapi(routes.incidentLogsRoute, handlers.incidentLogsHandler)
  .openapi(routes.incidentAnalysisRoute, handlers.incidentAnalysisHandler)
  .openapi(routes.captureLogsRoute, handlers.captureLogsHandler)
  .openapi(routes.resolveIncidentRoute, handlers.resolveIncidentHandler);
