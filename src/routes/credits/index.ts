import { requireAdmin } from "../../middleware/auth";
import { createRouter } from "../router";
import * as handlers from "./credits.handlers";
import * as routes from "./credits.routes";
import * as reportHandlers from "./reports.handlers";
import * as reportRoutes from "./reports.routes";

const router = createRouter();
router.use("/credits/*", requireAdmin);
router.use("/admin/credit-transactions", requireAdmin);
router.use("/admin/balance", requireAdmin);
router.use("/admin/add_credits", requireAdmin);

export const creditRoutes = router
  .openapi(routes.addCreditsRoute, handlers.addCredits)
  .openapi(routes.adjustCreditsRoute, handlers.adjustCredits)
  .openapi(routes.refundCreditsRoute, handlers.refundCredits)
  .openapi(routes.bulkAddCreditsRoute, handlers.bulkAddCredits)
  .openapi(reportRoutes.creditTransactionsRoute, reportHandlers.creditTransactions)
  .openapi(reportRoutes.adminCreditTransactionsRoute, reportHandlers.adminCreditTransactions)
  .openapi(reportRoutes.creditSummaryRoute, reportHandlers.creditSummary)
  .openapi(reportRoutes.adminBalancesRoute, reportHandlers.adminBalances)
  .openapi(reportRoutes.legacyAddCreditsRoute, reportHandlers.legacyAddCredits);
