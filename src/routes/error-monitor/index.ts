// The error monitor (seed 001 L8933-10133): patterns of the recorded error events, the scheduled scan
// (the every-minute cron, switched by start/stop) and fix suggestions. Admin only, unlike the seed.
import { requireAdmin } from "../../middleware/auth";
import { createRouter } from "../router";
import * as errors from "./errors.handlers";
import * as errorRoutes from "./errors.routes";
import * as fixes from "./fixes.handlers";
import * as fixRoutes from "./fixes.routes";
import * as monitor from "./monitor.handlers";
import * as monitorRoutes from "./monitor.routes";

const router = createRouter();
router.use("/error-monitor/*", requireAdmin);

// /fixes/generated is registered before /fixes/{id}, which would otherwise try to read it as an id.
export const errorMonitorRoutes = router
  .openapi(errorRoutes.recentErrorsRoute, errors.recentErrors)
  .openapi(errorRoutes.criticalErrorsRoute, errors.criticalErrors)
  .openapi(errorRoutes.fixableErrorsRoute, errors.fixableErrors)
  .openapi(errorRoutes.errorPatternsRoute, errors.errorPatterns)
  .openapi(errorRoutes.dashboardRoute, errors.dashboard)
  .openapi(errorRoutes.monitorStatusRoute, errors.monitorStatus)
  .openapi(monitorRoutes.scanRoute, monitor.scan)
  .openapi(monitorRoutes.startMonitorRoute, monitor.start)
  .openapi(monitorRoutes.stopMonitorRoute, monitor.stop)
  .openapi(fixRoutes.generateForErrorRoute, fixes.generateForError)
  .openapi(fixRoutes.generateBatchRoute, fixes.generateBatch)
  .openapi(fixRoutes.listFixesRoute, fixes.listGeneratedFixes)
  .openapi(fixRoutes.getFixRoute, fixes.getFix);
