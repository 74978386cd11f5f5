import { limitPerIp } from "../../middleware/ip-rate-limit";
import { createRouter } from "../router";
import * as handlers from "./auth.handlers";
import * as routes from "./auth.routes";

const router = createRouter();
router.use(
  routes.registerRoute.path,
  limitPerIp({ name: "register", limit: (config) => config.REGISTER_RATE_LIMIT_PER_HOUR, window: "1 h" }),
);

export const authRoutes = router.openapi(routes.registerRoute, handlers.register);
