import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import { monitor } from "./monitor.handlers";
import { monitorRoute } from "./monitor.routes";

const router = createRouter();
router.use(monitorRoute.path, requireAdmin);

export const adminMonitorRoutes = router.openapi(monitorRoute, monitor);
