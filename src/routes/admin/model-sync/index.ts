import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./model-sync.handlers";
import * as routes from "./model-sync.routes";

const router = createRouter();
router.use("/admin/model-sync/*", requireAdmin);

// `all`, `providers` and `status` are fixed paths; `provider/{provider}` cannot shadow them.
export const adminModelSyncRoutes = router
  .openapi(routes.syncAllRoute, handlers.syncAll)
  .openapi(routes.syncableProvidersRoute, handlers.listSyncableProviders)
  .openapi(routes.syncStatusRoute, handlers.syncStatus)
  .openapi(routes.syncProviderRoute, handlers.syncProvider);
