import { createRouter } from "../router";
import * as handlers from "./health.handlers";
import * as routes from "./health.routes";

export const healthRoutes = createRouter()
  .openapi(routes.healthRoute, handlers.health)
  .openapi(routes.readyRoute, handlers.ready);
