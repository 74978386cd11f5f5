import { requireAdmin } from "../../middleware/auth";
import { createRouter } from "../router";
import * as handlers from "./circuit-breakers.handlers";
import * as routes from "./circuit-breakers.routes";

const router = createRouter();
router.use(routes.resetAllBreakersRoute.path, requireAdmin);
// Hono paths name parameters `:provider` (the OpenAPI route says `{provider}`).
router.use("/circuit-breakers/:provider/reset", requireAdmin);

// reset-all before {provider}: otherwise "reset-all" would be read as a provider slug.
export const circuitBreakerRoutes = router
  .openapi(routes.listBreakersRoute, handlers.listBreakers)
  .openapi(routes.resetAllBreakersRoute, handlers.resetAllBreakers)
  .openapi(routes.getBreakerRoute, handlers.getBreaker)
  .openapi(routes.resetBreakerRoute, handlers.resetBreaker);
