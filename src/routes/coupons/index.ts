import { requireApiKey } from "../../middleware/auth";
import { createRouter } from "../router";
import * as handlers from "./coupons.handlers";
import * as routes from "./coupons.routes";

const router = createRouter();
// An account route: an expired trial gets 402, like /user/*.
router.use("/coupons/*", requireApiKey({ scope: "account" }));

export const couponRoutes = router
  .openapi(routes.availableCouponsRoute, handlers.listAvailableCoupons)
  .openapi(routes.redeemCouponRoute, handlers.redeem)
  .openapi(routes.redemptionHistoryRoute, handlers.listRedemptions);
