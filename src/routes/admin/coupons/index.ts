import { requireAdmin } from "../../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./coupons.handlers";
import * as routes from "./coupons.routes";

const router = createRouter();
// "/admin/coupons/*" also matches "/admin/coupons" itself (one guard: a second would authenticate twice).
router.use("/admin/coupons/*", requireAdmin);

// stats/overview before {id}.
export const adminCouponRoutes = router
  .openapi(routes.listCouponsRoute, handlers.listCoupons)
  .openapi(routes.createCouponRoute, handlers.createCoupon)
  .openapi(routes.couponStatsRoute, handlers.stats)
  .openapi(routes.getCouponRoute, handlers.getCoupon)
  .openapi(routes.updateCouponRoute, handlers.updateCoupon)
  .openapi(routes.deactivateCouponRoute, handlers.deactivate)
  .openapi(routes.couponAnalyticsRoute, handlers.analytics);
