import { requireAdmin } from "../../middleware/auth";
import { createRouter } from "../router";
import * as handlers from "./code-router.handlers";
import * as routes from "./code-router.routes";
import * as settings from "./settings.handlers";

const router = createRouter();
// Public like the seed's, except the tier edit and the stats (which read every user's request log).
router.use("/code-router/tiers/:id", requireAdmin);
router.use(routes.routerStatsRoute.path, requireAdmin);

export const codeRouterRoutes = router
  .openapi(routes.settingsOptionsRoute, settings.settingsOptions)
  .openapi(routes.validateSettingsRoute, settings.validateSettings)
  .openapi(routes.listTiersRoute, handlers.listTiers)
  .openapi(routes.updateTierRoute, handlers.updateTier)
  .openapi(routes.routerStatsRoute, handlers.routerStats)
  .openapi(routes.routeTestRoute, handlers.routeTest);
