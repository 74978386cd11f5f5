import { createRouter } from "../router";
import * as handlers from "./metrics.handlers";
import * as routes from "./metrics.routes";

export const metricsRoutes = createRouter().openapi(routes.metricsRoute, handlers.metrics);
