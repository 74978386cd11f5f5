import { loginLimit, passwordResetLimit, registrationLimit } from "../../middleware/auth-endpoint-limits";
import { createRouter } from "../router";
import * as handlers from "./auth.handlers";
import * as routes from "./auth.routes";
import * as login from "./login.handlers";
import * as loginRoutes from "./login.routes";
import * as recovery from "./recovery.handlers";
import * as recoveryRoutes from "./recovery.routes";

const router = createRouter();
router.use(routes.registerRoute.path, registrationLimit);
router.use(loginRoutes.loginRoute.path, loginLimit);
// One per-IP budget for requesting and redeeming a recovery token (seed 001 L4505).
router.use(recoveryRoutes.requestRecoveryRoute.path, passwordResetLimit);
router.use(recoveryRoutes.redeemRecoveryRoute.path, passwordResetLimit);

export const authRoutes = router
  .openapi(routes.registerRoute, handlers.register)
  .openapi(loginRoutes.loginRoute, login.login)
  .openapi(recoveryRoutes.requestRecoveryRoute, recovery.requestRecovery)
  .openapi(recoveryRoutes.redeemRecoveryRoute, recovery.redeemRecovery);
