import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import { updateAccountPlan } from "./plans.handlers";
import { updateAccountRoute } from "./plans.routes";
import * as handlers from "./users.handlers";
import * as routes from "./users.routes";

const router = createRouter();
// "/admin/users/*" also matches "/admin/users" itself (one guard: a second would authenticate twice).
router.use("/admin/users/*", requireAdmin);
router.use("/admin/api-keys/*", requireAdmin);
router.use("/admin/trial/*", requireAdmin);

// count, stats, growth and by-api-key before {id}.
export const adminUserRoutes = router
  .openapi(routes.listUsersRoute, handlers.listUsers)
  .openapi(routes.countUsersRoute, handlers.countAllUsers)
  .openapi(routes.userStatsRoute, handlers.userStats)
  .openapi(routes.userGrowthRoute, handlers.userGrowth)
  .openapi(routes.userByApiKeyRoute, handlers.userByApiKey)
  .openapi(routes.getUserRoute, handlers.getUser)
  .openapi(updateAccountRoute, updateAccountPlan)
  .openapi(routes.getApiKeyRoute, handlers.getApiKey)
  .openapi(routes.deleteUsersByDomainRoute, handlers.deleteUsersByDomain)
  .openapi(routes.trialAnalyticsRoute, handlers.trialAnalytics);
