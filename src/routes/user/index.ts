import { requireApiKey } from "../../middleware/auth";
import { createRouter } from "../router";
import * as handlers from "./user.handlers";
import * as routes from "./user.routes";

const router = createRouter();
router.use("/user/*", requireApiKey({ scope: "account" }));

export const userRoutes = router
  .openapi(routes.profileRoute, handlers.profile)
  .openapi(routes.balanceRoute, handlers.balance)
  .openapi(routes.listApiKeysRoute, handlers.listApiKeys)
  .openapi(routes.createApiKeyRoute, handlers.createApiKey)
  .openapi(routes.revokeApiKeyRoute, handlers.revokeApiKey);
