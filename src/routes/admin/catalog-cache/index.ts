import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./catalog-cache.handlers";
import * as routes from "./catalog-cache.routes";

const router = createRouter();
for (const path of [
  "/admin/cache-status",
  "/admin/huggingface-cache-status",
  "/admin/refresh-providers",
  "/admin/refresh-huggingface-cache",
  "/admin/debug-models",
  "/admin/test-huggingface/*",
]) {
  router.use(path, requireAdmin);
}
router.openAPIRegistry.registerPath(routes.testHuggingFaceDoc);

export const adminCatalogCacheRoutes = router
  .openapi(routes.cacheStatusRoute, handlers.cacheStatus)
  .openapi(routes.huggingFaceCacheStatusRoute, handlers.huggingFaceCacheStatus)
  .openapi(routes.refreshProvidersRoute, handlers.refreshProviders)
  .openapi(routes.refreshHuggingFaceCacheRoute, handlers.refreshHuggingFaceCache)
  .openapi(routes.debugModelsRoute, handlers.debugModels)
  .get("/admin/test-huggingface/:hugging_face_id{.+}", handlers.testHuggingFace);
