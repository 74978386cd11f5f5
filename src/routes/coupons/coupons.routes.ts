import { createRoute, z } from "@hono/zod-openapi";
import { couponScopes, couponTypes } from "../../db/schema";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";

export const AvailableCouponSchema = z
  .object({
    coupon_id: z.number().int(),
    code: z.string(),
    value_usd: z.number(),
    coupon_scope: z.enum(couponScopes),
    coupon_type: z.enum(couponTypes),
    description: z.string().nullable(),
    valid_until: z.string(),
    remaining_uses: z.number().int(),
  })
  .openapi("AvailableCoupon");

export const availableCouponsRoute = createRoute({
  method: "get",
  path: "/coupons/available",
  tags: ["Coupons"],
  summary: "Coupons you can redeem now",
  description:
    "Active coupons within their validity window with uses left: those assigned to you, and global ones you have not redeemed. Soonest to expire first.",
  security: userKeySecurity,
  responses: {
    200: jsonContent(z.array(AvailableCouponSchema), "Redeemable coupons"),
    ...errorResponses(401, 402, 403, 429, 500, 503),
  },
});

export const RedeemRequestSchema = z
  .object({
    code: z
      .string()
      .min(3)
      .max(100)
      .openapi({ description: "Case-insensitive; characters other than letters, digits, - and _ are ignored" }),
  })
  .openapi("CouponRedeemRequest");

export const RedeemResponseSchema = z
  .object({
    success: z.literal(true),
    message: z.string(),
    coupon_code: z.string(),
    coupon_value: z.number().openapi({ description: "USD added to your purchased credits" }),
    previous_balance: z.number(),
    new_balance: z.number(),
    error_code: z.null(),
  })
  .openapi("CouponRedeemResponse");

export const redeemCouponRoute = createRoute({
  method: "post",
  path: "/coupons/redeem",
  tags: ["Coupons"],
  summary: "Redeem a coupon code",
  description:
    "Adds the coupon's value to your purchased credits with a `coupon` ledger row, in one transaction; each coupon once per user. " +
    "Refusals: 404 `coupon_not_found`; 400 `coupon_not_assigned`, `coupon_already_redeemed`, `coupon_inactive`, " +
    "`coupon_not_yet_valid`, `coupon_expired`, `coupon_exhausted`; 409 `coupon_changed` (edited meanwhile: retry).",
  security: userKeySecurity,
  request: { body: { required: true, content: { "application/json": { schema: RedeemRequestSchema } } } },
  responses: {
    200: jsonContent(RedeemResponseSchema, "Redeemed"),
    ...errorResponses(400, 401, 402, 403, 404, 409, 429, 500, 503),
  },
});

export const RedemptionHistorySchema = z
  .object({
    redemptions: z.array(
      z.object({
        id: z.number().int(),
        coupon_code: z.string(),
        coupon_scope: z.enum(couponScopes),
        coupon_type: z.enum(couponTypes),
        value_applied: z.number(),
        redeemed_at: z.string(),
        user_balance_before: z.number(),
        user_balance_after: z.number(),
      }),
    ),
    total_redemptions: z.number().int().openapi({ description: "All your redemptions, not only this page" }),
    total_value_redeemed: z.number().openapi({ description: "USD, over all your redemptions" }),
    limit: z.number().int(),
    offset: z.number().int(),
    has_more: z.boolean(),
  })
  .openapi("CouponRedemptionHistory");

export const redemptionHistoryRoute = createRoute({
  method: "get",
  path: "/coupons/history",
  tags: ["Coupons"],
  summary: "Your coupon redemptions, newest first",
  security: userKeySecurity,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: jsonContent(RedemptionHistorySchema, "Redemptions"),
    ...errorResponses(400, 401, 402, 403, 429, 500, 503),
  },
});
