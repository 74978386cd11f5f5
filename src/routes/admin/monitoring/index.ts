import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import * as breakdown from "./breakdown.handlers";
import * as breakdownRoutes from "./breakdown.routes";
import * as requests from "./requests.handlers";
import * as requestRoutes from "./requests.routes";
import * as tracking from "./tracking.handlers";
import * as trackingRoutes from "./tracking.routes";

const router = createRouter();
// "/admin/monitoring/*" covers every path below it (one guard: a second would authenticate twice).
router.use("/admin/monitoring/*", requireAdmin);
router.use(breakdownRoutes.modelUsageAnalyticsRoute.path, requireAdmin);

// The fixed sub-paths of chat-requests are all distinct routes (no path parameter to shadow them).
export const adminMonitoringRoutes = router
  .openapi(requestRoutes.listChatRequestsRoute, requests.listChatRequests)
  .openapi(requestRoutes.chatRequestSummaryRoute, requests.chatRequestSummary)
  .openapi(requestRoutes.chatRequestPlotRoute, requests.chatRequestPlot)
  .openapi(requestRoutes.chatRequestsByApiKeyRoute, requests.chatRequestsByApiKey)
  .openapi(breakdownRoutes.providersWithRequestsRoute, breakdown.providersWithRequests)
  .openapi(breakdownRoutes.requestCountsRoute, breakdown.requestCounts)
  .openapi(breakdownRoutes.modelsWithRequestsRoute, breakdown.modelsWithRequests)
  .openapi(breakdownRoutes.modelUsageAnalyticsRoute, breakdown.modelUsageAnalytics)
  .openapi(trackingRoutes.trackingQualityRoute, tracking.trackingQuality)
  .openapi(trackingRoutes.trackingTrendRoute, tracking.trackingTrend);
