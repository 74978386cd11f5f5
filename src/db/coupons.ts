// Coupons as admins manage them: create, list with an exact total, update within the rules,
// soft-delete, and the statistics, computed in SQL. Redemption lives in coupon-redemptions.ts.
import { and, count, desc, eq, sql } from "drizzle-orm";
import { ApiError, badRequest, conflict, notFound } from "../lib/errors";
import { type Database, postgresErrorCode } from "./client";
import { type CouponRow, type couponScopes, coupons, type couponTypes } from "./schema";

export type CouponScope = (typeof couponScopes)[number];
export type CouponType = (typeof couponTypes)[number];

/**
 * The seed's rule for codes: keep letters, digits, '-' and '_', uppercase the rest. Applied when a
 * coupon is created and when one is redeemed, so "summer 2026" redeems SUMMER2026.
 */
export function normalizeCouponCode(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_-]/g, "").toUpperCase();
}

export const couponNotFound = (id: number) => notFound(`Coupon ${id} not found`, "coupon_not_found");

export interface NewCoupon {
  code: string;
  /** Exact decimal USD (formatUsd). */
  valueUsd: string;
  scope: CouponScope;
  type: CouponType;
  maxUses: number;
  validFrom: Date;
  validUntil: Date;
  assignedToUserId: number | null;
  createdBy: number | null;
  createdByType: "admin" | "bootstrap";
  description: string | null;
}

/** Inserts a coupon; the database enforces the unique code (409) and that the assignee exists (404). */
export async function insertCoupon(db: Database, input: NewCoupon): Promise<CouponRow> {
  try {
    const [row] = await db
      .insert(coupons)
      .values({
        code: input.code,
        valueUsd: input.valueUsd,
        couponScope: input.scope,
        couponType: input.type,
        maxUses: input.maxUses,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
        assignedToUserId: input.assignedToUserId,
        createdBy: input.createdBy,
        createdByType: input.createdByType,
        description: input.description,
      })
      .returning();
    if (!row) throw new Error("coupon insert returned no row");
    return row;
  } catch (error) {
    const { code, constraint } = postgresErrorCode(error);
    if (code === "23505" && constraint === "coupons_code_unique") {
      throw conflict(`A coupon with code ${input.code} already exists`, "coupon_code_exists");
    }
    if (code === "23503" && constraint === "coupons_assigned_to_user_id_users_id_fk") {
      throw new ApiError(404, `User ${input.assignedToUserId} not found`, "user_not_found", "assigned_to_user_id");
    }
    throw error;
  }
}

export interface CouponFilter {
  scope?: CouponScope;
  type?: CouponType;
  isActive?: boolean;
}

export async function findCoupons(
  db: Database,
  filter: CouponFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: CouponRow[]; total: number }> {
  const where = and(
    filter.scope ? eq(coupons.couponScope, filter.scope) : undefined,
    filter.type ? eq(coupons.couponType, filter.type) : undefined,
    filter.isActive === undefined ? undefined : eq(coupons.isActive, filter.isActive),
  );
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(coupons)
      .where(where)
      .orderBy(desc(coupons.createdAt), desc(coupons.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(coupons).where(where),
  ]);
  return { rows, total: Number(totals[0]?.total ?? 0) };
}

export async function findCoupon(db: Database, id: number): Promise<CouponRow | undefined> {
  const [row] = await db.select().from(coupons).where(eq(coupons.id, id)).limit(1);
  return row;
}

/** What an admin may change (the seed's allowlist); `description: null` clears it. */
export interface CouponChanges {
  validUntil?: Date;
  maxUses?: number;
  isActive?: boolean;
  description?: string | null;
}

/**
 * Applies the changes under a row lock, so a redemption cannot raise times_used between the check
 * and the write: max_uses never below times_used, a user-specific coupon keeps one use, and
 * valid_until stays after valid_from (400 naming the field); 404 for an unknown coupon.
 */
export async function updateCoupon(db: Database, id: number, changes: CouponChanges): Promise<CouponRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(coupons).where(eq(coupons.id, id)).for("update");
    if (!current) throw couponNotFound(id);
    if (changes.maxUses !== undefined) {
      if (current.couponScope === "user_specific" && changes.maxUses !== 1) {
        throw badRequest("A user-specific coupon has exactly one use", "invalid_max_uses", "max_uses");
      }
      if (changes.maxUses < current.timesUsed) {
        throw badRequest(
          `max_uses cannot be below the ${current.timesUsed} uses already redeemed`,
          "invalid_max_uses",
          "max_uses",
        );
      }
    }
    if (changes.validUntil !== undefined && changes.validUntil <= current.validFrom) {
      throw badRequest(
        `valid_until must be after valid_from (${current.validFrom.toISOString()})`,
        "invalid_validity",
        "valid_until",
      );
    }
    const [row] = await tx
      .update(coupons)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(coupons.id, id))
      .returning();
    if (!row) throw couponNotFound(id);
    return row;
  });
}

/** Soft delete: true when an active coupon was deactivated. */
export async function deactivateCoupon(db: Database, id: number): Promise<boolean> {
  const rows = await db
    .update(coupons)
    .set({ isActive: false, updatedAt: sql`now()` })
    .where(and(eq(coupons.id, id), eq(coupons.isActive, true)))
    .returning({ id: coupons.id });
  return rows.length > 0;
}

export interface CouponStats {
  totalCoupons: number;
  activeCoupons: number;
  userSpecificCoupons: number;
  globalCoupons: number;
  totalRedemptions: number;
  uniqueRedeemers: number;
  /** Decimal USD strings. */
  totalValueDistributed: string;
  averageRedemptionValue: string;
}

const int = (value: unknown) => Number(value ?? 0);
const decimal = (value: unknown) => String(value ?? "0");

export async function couponStats(db: Database): Promise<CouponStats> {
  const result = await db.execute<Record<string, unknown>>(sql`
    with c as (
      select count(*)::int as total, count(*) filter (where is_active)::int as active,
             count(*) filter (where coupon_scope = 'user_specific')::int as user_specific,
             count(*) filter (where coupon_scope = 'global')::int as global
      from coupons
    ), r as (
      select count(*)::int as redemptions, count(distinct user_id)::int as redeemers,
             coalesce(sum(value_applied), 0)::text as total_value,
             coalesce(round(avg(value_applied), 9), 0)::text as average_value
      from coupon_redemptions
    )
    select * from c cross join r`);
  const row = result.rows[0] ?? {};
  return {
    totalCoupons: int(row.total),
    activeCoupons: int(row.active),
    userSpecificCoupons: int(row.user_specific),
    globalCoupons: int(row.global),
    totalRedemptions: int(row.redemptions),
    uniqueRedeemers: int(row.redeemers),
    totalValueDistributed: decimal(row.total_value),
    averageRedemptionValue: decimal(row.average_value),
  };
}

export interface CouponAnalytics {
  coupon: CouponRow;
  totalRedemptions: number;
  uniqueUsers: number;
  totalValueDistributed: string;
  /** Percent of max_uses redeemed, two decimals. */
  redemptionRate: number;
  remainingUses: number;
  isExpired: boolean;
}

export async function couponAnalytics(db: Database, id: number): Promise<CouponAnalytics | undefined> {
  const coupon = await findCoupon(db, id);
  if (!coupon) return undefined;
  const result = await db.execute<Record<string, unknown>>(sql`
    select count(r.id)::int as redemptions, count(distinct r.user_id)::int as users,
           coalesce(sum(r.value_applied), 0)::text as total_value,
           round(count(r.id) * 100.0 / c.max_uses, 2)::text as rate,
           greatest(c.max_uses - c.times_used, 0)::int as remaining,
           c.valid_until < now() as expired
    from coupons c left join coupon_redemptions r on r.coupon_id = c.id
    where c.id = ${id}
    group by c.id`);
  const row = result.rows[0] ?? {};
  return {
    coupon,
    totalRedemptions: int(row.redemptions),
    uniqueUsers: int(row.users),
    totalValueDistributed: decimal(row.total_value),
    redemptionRate: Number(row.rate ?? 0),
    remainingUses: int(row.remaining),
    isExpired: row.expired === true,
  };
}
