import { requireApiKey } from "../../middleware/auth";
import { createRouter } from "../router";
import * as activityHandlers from "./activity.handlers";
import * as activityRoutes from "./activity.routes";
import * as creditHandlers from "./credits.handlers";
import * as creditRoutes from "./credits.routes";
import * as handlers from "./user.handlers";
import * as routes from "./user.routes";

const router = createRouter();
router.use("/user/*", requireApiKey({ scope: "account" }));
router.use(creditRoutes.openRouterCreditsRoute.path, requireApiKey({ scope: "account" }));

export const userRoutes = router
  .openapi(routes.profileRoute, handlers.profile)
  .openapi(routes.balanceRoute, handlers.balance)
  .openapi(routes.listApiKeysRoute, handlers.listApiKeys)
  .openapi(routes.createApiKeyRoute, handlers.createApiKey)
  .openapi(routes.revokeApiKeyRoute, handlers.revokeApiKey)
  .openapi(creditRoutes.userTransactionsRoute, creditHandlers.listUserTransactions)
  .openapi(creditRoutes.openRouterCreditsRoute, creditHandlers.openRouterCredits)
  .openapi(activityRoutes.activityLogRoute, activityHandlers.listActivity)
  .openapi(activityRoutes.activityStatsRoute, activityHandlers.activitySummary);
