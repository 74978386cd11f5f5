import { requireAdmin } from "../../middleware/auth";
import { createRouter } from "../router";
import * as handlers from "./diagnostics.handlers";
import * as routes from "./diagnostics.routes";

const router = createRouter();
router.use("/api/diagnostics/*", requireAdmin);

export const diagnosticsRoutes = router
  .openapi(routes.concurrencyDiagnosticsRoute, handlers.concurrencyDiagnostics)
  .openapi(routes.providerTimingRoute, handlers.providerTiming);
