// /api/monitoring/*: provider health is public (aggregates, like /circuit-breakers); everything else
// exposes traffic, costs or individual requests and needs admin.
import { requireAdmin } from "../../middleware/auth";
import { modelsWithRequests, requestCounts } from "../admin/monitoring/breakdown.handlers";
import { listChatRequests } from "../admin/monitoring/requests.handlers";
import { createRouter } from "../router";
import * as health from "./health.handlers";
import * as healthRoutes from "./health.routes";
import * as requestRoutes from "./requests.routes";
import * as stats from "./stats.handlers";
import * as statsRoutes from "./stats.routes";

const adminPaths = [
  statsRoutes.realtimeRoute.path,
  statsRoutes.errorRatesRoute.path,
  statsRoutes.costAnalysisRoute.path,
  statsRoutes.anomaliesRoute.path,
  requestRoutes.chatRequestsRoute.path,
  requestRoutes.chatRequestCountsRoute.path,
  requestRoutes.chatRequestModelsRoute.path,
];

const router = createRouter();
for (const path of adminPaths) router.use(path, requireAdmin);

export const monitoringApiRoutes = router
  .openapi(healthRoutes.healthRoute, health.health)
  .openapi(healthRoutes.providerHealthRoute, health.providerHealthOne)
  .openapi(statsRoutes.realtimeRoute, stats.realtime)
  .openapi(statsRoutes.errorRatesRoute, stats.errorRates)
  .openapi(statsRoutes.costAnalysisRoute, stats.costAnalysis)
  .openapi(statsRoutes.anomaliesRoute, stats.anomalies)
  .openapi(requestRoutes.chatRequestsRoute, listChatRequests)
  .openapi(requestRoutes.chatRequestCountsRoute, requestCounts)
  .openapi(requestRoutes.chatRequestModelsRoute, modelsWithRequests);
