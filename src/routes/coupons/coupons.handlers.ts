import type { RouteHandler } from "@hono/zod-openapi";
import { availableCoupons, redeemCoupon, redemptionHistory } from "../../db/coupon-redemptions";
import { normalizeCouponCode } from "../../db/coupons";
import type { AppEnv } from "../../env";
import { forgetBalances } from "../../gateway/credit-check";
import { badRequest } from "../../lib/errors";
import { usdNumber, usdNumberOf } from "../../lib/money";
import { clientIp, currentUser } from "../../middleware/auth";
import type { availableCouponsRoute, redeemCouponRoute, redemptionHistoryRoute } from "./coupons.routes";

export const listAvailableCoupons: RouteHandler<typeof availableCouponsRoute, AppEnv> = async (c) => {
  const { user } = currentUser(c);
  const coupons = await availableCoupons(c.var.db(), user.id);
  return c.json(
    coupons.map((coupon) => ({
      coupon_id: coupon.id,
      code: coupon.code,
      value_usd: usdNumberOf(coupon.valueUsd),
      coupon_scope: coupon.scope,
      coupon_type: coupon.type,
      description: coupon.description,
      valid_until: coupon.validUntil.toISOString(),
      remaining_uses: coupon.remainingUses,
    })),
    200,
  );
};

export const redeem: RouteHandler<typeof redeemCouponRoute, AppEnv> = async (c) => {
  const code = normalizeCouponCode(c.req.valid("json").code);
  if (code.length < 3 || code.length > 50) {
    throw badRequest("code must have 3 to 50 letters, digits, '-' or '_'", "invalid_coupon_code", "code");
  }
  const { user } = currentUser(c);
  const redemption = await redeemCoupon(c.var.db(), {
    code,
    userId: user.id,
    ipAddress: clientIp(c),
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
  });
  // This isolate's remembered balance must show the credit at once (other isolates: within their TTL).
  forgetBalances();
  return c.json(
    {
      success: true as const,
      message: `Coupon ${redemption.code} redeemed: $${usdNumber(redemption.value)} added to your balance`,
      coupon_code: redemption.code,
      coupon_value: usdNumber(redemption.value),
      previous_balance: usdNumber(redemption.previousBalance),
      new_balance: usdNumber(redemption.newBalance),
      error_code: null,
    },
    200,
  );
};

export const listRedemptions: RouteHandler<typeof redemptionHistoryRoute, AppEnv> = async (c) => {
  const { limit, offset } = c.req.valid("query");
  const { user } = currentUser(c);
  const history = await redemptionHistory(c.var.db(), user.id, { limit, offset });
  return c.json(
    {
      redemptions: history.rows.map((row) => ({
        id: row.id,
        coupon_code: row.code,
        coupon_scope: row.scope,
        coupon_type: row.type,
        value_applied: usdNumberOf(row.valueApplied),
        redeemed_at: row.redeemedAt.toISOString(),
        user_balance_before: usdNumberOf(row.balanceBefore),
        user_balance_after: usdNumberOf(row.balanceAfter),
      })),
      total_redemptions: history.total,
      total_value_redeemed: usdNumberOf(history.totalValue),
      limit,
      offset,
      has_more: offset + history.rows.length < history.total,
    },
    200,
  );
};
