import { createRouter } from "../router";
import * as handlers from "./huggingface.handlers";
import * as routes from "./huggingface.routes";

export const huggingFaceRoutes = createRouter().openapi(routes.authorModelsRoute, handlers.authorModels);
