import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./limits.handlers";
import * as routes from "./limits.routes";

const router = createRouter();
// Exact paths, not /admin/*: other admin routers bring their own guard, and a second requireAdmin
// would authenticate (and count a capped key) twice.
router.use("/admin/limit", requireAdmin);
router.use("/admin/clear-rate-limit-cache", requireAdmin);

export const adminLimitRoutes = router
  .openapi(routes.setRateLimitRoute, handlers.setRateLimit)
  .openapi(routes.getRateLimitRoute, handlers.getRateLimit)
  .openapi(routes.deleteRateLimitRoute, handlers.deleteRateLimit)
  .openapi(routes.clearRateLimitCacheRoute, handlers.clearRateLimitCache);
