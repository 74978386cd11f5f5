import type { RouteHandler } from "@hono/zod-openapi";
import {
  type CouponChanges,
  couponAnalytics,
  couponNotFound,
  couponStats,
  deactivateCoupon,
  findCoupon,
  findCoupons,
  insertCoupon,
  normalizeCouponCode,
  updateCoupon as saveCouponChanges,
} from "../../../db/coupons";
import type { CouponRow } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { badRequest, notFound } from "../../../lib/errors";
import { formatUsd, NANOS_PER_USD, type Nanos, parseUsd, usdNumberOf } from "../../../lib/money";
import { adminOf } from "../../credits/credits.handlers";
import type {
  couponAnalyticsRoute,
  couponStatsRoute,
  createCouponRoute,
  deactivateCouponRoute,
  getCouponRoute,
  listCouponsRoute,
  updateCouponRoute,
} from "./coupons.routes";

const MAX_COUPON_VALUE: Nanos = 1000n * NANOS_PER_USD;

export function presentCoupon(row: CouponRow) {
  return {
    id: row.id,
    code: row.code,
    value_usd: usdNumberOf(row.valueUsd),
    coupon_scope: row.couponScope,
    coupon_type: row.couponType,
    max_uses: row.maxUses,
    times_used: row.timesUsed,
    valid_from: row.validFrom.toISOString(),
    valid_until: row.validUntil.toISOString(),
    is_active: row.isActive,
    assigned_to_user_id: row.assignedToUserId,
    created_by: row.createdBy,
    created_by_type: row.createdByType,
    description: row.description,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** A JSON number or decimal string → exact nano-dollars, > 0 and ≤ $1000 (400 naming value_usd). */
function couponValueOf(value: number | string): Nanos {
  let nanos: Nanos;
  try {
    nanos = parseUsd(typeof value === "number" ? value.toFixed(9) : value);
  } catch {
    throw badRequest("value_usd must be a USD amount with at most 9 decimals", "invalid_value", "value_usd");
  }
  if (nanos <= 0n || nanos > MAX_COUPON_VALUE) {
    throw badRequest("value_usd must be greater than 0 and at most 1000", "invalid_value", "value_usd");
  }
  return nanos;
}

export const listCoupons: RouteHandler<typeof listCouponsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const { rows, total } = await findCoupons(
    c.var.db(),
    {
      scope: query.scope,
      type: query.coupon_type,
      isActive: query.is_active === undefined ? undefined : query.is_active === "true",
    },
    { limit: query.limit, offset: query.offset },
  );
  return c.json(
    {
      coupons: rows.map(presentCoupon),
      total,
      limit: query.limit,
      offset: query.offset,
      has_more: query.offset + rows.length < total,
    },
    200,
  );
};

export const createCoupon: RouteHandler<typeof createCouponRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const code = normalizeCouponCode(body.code);
  if (code.length < 3 || code.length > 50) {
    throw badRequest("code must have 3 to 50 letters, digits, '-' or '_'", "invalid_coupon_code", "code");
  }
  const value = couponValueOf(body.value_usd);
  const assignee = body.assigned_to_user_id ?? null;
  let maxUses: number;
  if (body.coupon_scope === "user_specific") {
    if (assignee === null) {
      throw badRequest("A user_specific coupon needs assigned_to_user_id", "invalid_assignment", "assigned_to_user_id");
    }
    if (body.max_uses !== undefined && body.max_uses !== 1) {
      throw badRequest("A user_specific coupon has exactly one use", "invalid_max_uses", "max_uses");
    }
    maxUses = 1;
  } else {
    if (assignee !== null) {
      throw badRequest("A global coupon cannot have assigned_to_user_id", "invalid_assignment", "assigned_to_user_id");
    }
    if (body.max_uses === undefined) {
      throw badRequest("A global coupon needs max_uses", "invalid_max_uses", "max_uses");
    }
    maxUses = body.max_uses;
  }
  const validFrom = body.valid_from ? new Date(body.valid_from) : new Date();
  const validUntil = new Date(body.valid_until);
  if (validUntil <= validFrom) {
    throw badRequest("valid_until must be after valid_from", "invalid_validity", "valid_until");
  }
  const admin = adminOf(c);
  const row = await insertCoupon(c.var.db(), {
    code,
    valueUsd: formatUsd(value),
    scope: body.coupon_scope,
    type: body.coupon_type,
    maxUses,
    validFrom,
    validUntil,
    assignedToUserId: assignee,
    createdBy: admin.userId,
    createdByType: admin.userId === null ? "bootstrap" : "admin",
    description: body.description || null,
  });
  return c.json(presentCoupon(row), 201);
};

export const getCoupon: RouteHandler<typeof getCouponRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await findCoupon(c.var.db(), id);
  if (!row) throw couponNotFound(id);
  return c.json(presentCoupon(row), 200);
};

export const updateCoupon: RouteHandler<typeof updateCouponRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const changes: CouponChanges = {};
  if (body.valid_until !== undefined) changes.validUntil = new Date(body.valid_until);
  if (body.max_uses !== undefined) changes.maxUses = body.max_uses;
  if (body.is_active !== undefined) changes.isActive = body.is_active;
  if (body.description !== undefined) changes.description = body.description || null;
  if (Object.keys(changes).length === 0) throw badRequest("No fields to update", "no_fields_to_update");
  return c.json(presentCoupon(await saveCouponChanges(c.var.db(), id, changes)), 200);
};

export const deactivate: RouteHandler<typeof deactivateCouponRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  if (!(await deactivateCoupon(c.var.db(), id))) {
    throw notFound("Coupon not found or already inactive", "coupon_not_found");
  }
  return c.json({ success: true as const, message: "Coupon deactivated successfully" }, 200);
};

export const stats: RouteHandler<typeof couponStatsRoute, AppEnv> = async (c) => {
  const totals = await couponStats(c.var.db());
  return c.json(
    {
      total_coupons: totals.totalCoupons,
      active_coupons: totals.activeCoupons,
      user_specific_coupons: totals.userSpecificCoupons,
      global_coupons: totals.globalCoupons,
      total_redemptions: totals.totalRedemptions,
      unique_redeemers: totals.uniqueRedeemers,
      total_value_distributed: usdNumberOf(totals.totalValueDistributed),
      average_redemption_value: usdNumberOf(totals.averageRedemptionValue),
    },
    200,
  );
};

export const analytics: RouteHandler<typeof couponAnalyticsRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const result = await couponAnalytics(c.var.db(), id);
  if (!result) throw couponNotFound(id);
  return c.json(
    {
      coupon: presentCoupon(result.coupon),
      total_redemptions: result.totalRedemptions,
      unique_users: result.uniqueUsers,
      total_value_distributed: usdNumberOf(result.totalValueDistributed),
      redemption_rate: result.redemptionRate,
      remaining_uses: result.remainingUses,
      is_expired: result.isExpired,
    },
    200,
  );
};
