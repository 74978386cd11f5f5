import { registrationLimit } from "../../middleware/auth-endpoint-limits";
import { createRouter } from "../router";
import * as handlers from "./auth.handlers";
import * as routes from "./auth.routes";

const router = createRouter();
router.use(routes.registerRoute.path, registrationLimit);

export const authRoutes = router.openapi(routes.registerRoute, handlers.register);
