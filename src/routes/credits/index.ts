import { requireAdmin } from "../../middleware/auth";
import { createRouter } from "../router";
import * as handlers from "./credits.handlers";
import * as routes from "./credits.routes";

const router = createRouter();
router.use("/credits/*", requireAdmin);

export const creditRoutes = router
  .openapi(routes.addCreditsRoute, handlers.addCredits)
  .openapi(routes.adjustCreditsRoute, handlers.adjustCredits)
  .openapi(routes.refundCreditsRoute, handlers.refundCredits)
  .openapi(routes.bulkAddCreditsRoute, handlers.bulkAddCredits);
