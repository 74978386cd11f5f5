import { createRouter } from "../router";
import * as handlers from "./models.handlers";
import * as routes from "./models.routes";

const router = createRouter();
router.openAPIRegistry.registerPath(routes.getModelDoc);

// search, trending and low-latency before the catch-all model id (ids contain slashes).
export const modelRoutes = router
  .openapi(routes.listModelsRoute, handlers.listModels)
  .openapi(routes.searchModelsRoute, handlers.searchModels)
  .openapi(routes.trendingModelsRoute, handlers.trending)
  .openapi(routes.lowLatencyModelsRoute, handlers.lowLatency)
  .openapi(routes.listProvidersRoute, handlers.listProviders)
  .openapi(routes.gatewaySummaryRoute, handlers.gatewaySummary)
  .get("/v1/models/:id{.+}", handlers.getModel);
