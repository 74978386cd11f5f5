import { createRouter } from "../router";
import * as handlers from "./catalog.handlers";
import * as routes from "./catalog.routes";

export const catalogRoutes = createRouter().openapi(routes.catalogModelsRoute, handlers.catalogModels);
