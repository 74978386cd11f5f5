import { createRoute, z } from "@hono/zod-openapi";
import { couponScopes, couponTypes } from "../../../db/schema";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";

/** Postgres `integer` ids and counts. */
const INT4_MAX = 2_147_483_647;
const couponId = z.object({ id: z.coerce.number().int().positive().max(INT4_MAX) });
const timestamp = z.iso.datetime({ offset: true });

export const CouponSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    value_usd: z.number(),
    coupon_scope: z.enum(couponScopes),
    coupon_type: z.enum(couponTypes),
    max_uses: z.number().int(),
    times_used: z.number().int(),
    valid_from: z.string(),
    valid_until: z.string(),
    is_active: z.boolean(),
    assigned_to_user_id: z.number().int().nullable(),
    created_by: z.number().int().nullable().openapi({ description: "The admin's user id; null for ADMIN_API_KEY" }),
    created_by_type: z.string().openapi({ example: "admin", description: '"admin", or "bootstrap" (ADMIN_API_KEY)' }),
    description: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Coupon");

export const CreateCouponSchema = z
  .object({
    code: z.string().min(1).max(200).openapi({
      description: "Letters, digits, - and _ are kept (others dropped), uppercased; 3–50 characters after that",
      example: "WELCOME-2026",
    }),
    value_usd: z
      .union([z.number().finite(), z.string().regex(/^\d{1,12}(\.\d{1,9})?$/, "must be a decimal USD amount")])
      .openapi({ description: "USD, > 0 and ≤ 1000 (a number or a decimal string, at most 9 decimals)", example: 10 }),
    coupon_scope: z.enum(couponScopes),
    coupon_type: z.enum(couponTypes).default("promotional"),
    max_uses: z.number().int().positive().max(INT4_MAX).optional().openapi({
      description: "Required for global coupons; a user-specific coupon has exactly 1 (the default)",
    }),
    assigned_to_user_id: z.number().int().positive().max(INT4_MAX).nullable().optional().openapi({
      description: "Required for user_specific, not allowed for global",
    }),
    valid_from: timestamp.optional().openapi({ description: "ISO 8601; default now" }),
    valid_until: timestamp.openapi({ description: "ISO 8601; after valid_from" }),
    description: z.string().trim().max(500).optional(),
  })
  .openapi("CouponCreateRequest");

export const UpdateCouponSchema = z
  .object({
    valid_until: timestamp.optional().openapi({ description: "After valid_from; a past time expires the coupon" }),
    max_uses: z.number().int().positive().max(INT4_MAX).optional().openapi({
      description: "Not below times_used; a user-specific coupon keeps 1",
    }),
    is_active: z.boolean().optional(),
    description: z.string().trim().max(500).nullable().optional().openapi({ description: "null clears it" }),
  })
  .openapi("CouponUpdateRequest");

const tags = ["Admin: coupons"];

export const listCouponsRoute = createRoute({
  method: "get",
  path: "/admin/coupons",
  tags,
  summary: "Coupons, newest first, filtered, with the exact total",
  security: adminSecurity,
  request: {
    query: z.object({
      scope: z.enum(couponScopes).optional(),
      coupon_type: z.enum(couponTypes).optional(),
      is_active: z.enum(["true", "false"]).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          coupons: z.array(CouponSchema),
          total: z.number().int().openapi({ description: "Every coupon matching the filters, not only this page" }),
          limit: z.number().int(),
          offset: z.number().int(),
          has_more: z.boolean(),
        })
        .openapi("CouponList"),
      "Coupons",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const createCouponRoute = createRoute({
  method: "post",
  path: "/admin/coupons",
  tags,
  summary: "Create a coupon",
  description: "409 when the (normalised) code exists; 404 when assigned_to_user_id is not a user.",
  security: adminSecurity,
  request: { body: { required: true, content: { "application/json": { schema: CreateCouponSchema } } } },
  responses: {
    201: jsonContent(CouponSchema, "Created"),
    ...errorResponses(400, 401, 403, 404, 409, 500, 503),
  },
});

export const couponStatsRoute = createRoute({
  method: "get",
  path: "/admin/coupons/stats/overview",
  tags,
  summary: "Coupon and redemption totals across the system",
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z
        .object({
          total_coupons: z.number().int(),
          active_coupons: z.number().int(),
          user_specific_coupons: z.number().int(),
          global_coupons: z.number().int(),
          total_redemptions: z.number().int(),
          unique_redeemers: z.number().int(),
          total_value_distributed: z.number().openapi({ description: "USD" }),
          average_redemption_value: z.number().openapi({ description: "USD" }),
        })
        .openapi("CouponStats"),
      "Statistics",
    ),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getCouponRoute = createRoute({
  method: "get",
  path: "/admin/coupons/{id}",
  tags,
  summary: "One coupon",
  security: adminSecurity,
  request: { params: couponId },
  responses: {
    200: jsonContent(CouponSchema, "The coupon"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const updateCouponRoute = createRoute({
  method: "patch",
  path: "/admin/coupons/{id}",
  tags,
  summary: "Change a coupon's valid_until, max_uses, is_active or description",
  description: 'Other fields are ignored; with none of these the answer is 400 "No fields to update".',
  security: adminSecurity,
  request: {
    params: couponId,
    body: { required: true, content: { "application/json": { schema: UpdateCouponSchema } } },
  },
  responses: {
    200: jsonContent(CouponSchema, "The updated coupon"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const deactivateCouponRoute = createRoute({
  method: "delete",
  path: "/admin/coupons/{id}",
  tags,
  summary: "Deactivate a coupon (soft delete)",
  description: "404 when there is no such coupon or it is already inactive.",
  security: adminSecurity,
  request: { params: couponId },
  responses: {
    200: jsonContent(
      z.object({ success: z.literal(true), message: z.string() }).openapi("CouponDeactivated"),
      "Deactivated",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const couponAnalyticsRoute = createRoute({
  method: "get",
  path: "/admin/coupons/{id}/analytics",
  tags,
  summary: "One coupon's redemptions: count, users, value, rate, uses left",
  security: adminSecurity,
  request: { params: couponId },
  responses: {
    200: jsonContent(
      z
        .object({
          coupon: CouponSchema,
          total_redemptions: z.number().int(),
          unique_users: z.number().int(),
          total_value_distributed: z.number().openapi({ description: "USD" }),
          redemption_rate: z.number().openapi({ description: "Percent of max_uses redeemed" }),
          remaining_uses: z.number().int(),
          is_expired: z.boolean(),
        })
        .openapi("CouponAnalytics"),
      "Analytics",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});
