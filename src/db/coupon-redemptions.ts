// Redeeming coupons, and a user's view of them (what they can redeem, what they redeemed).
// A redemption is one transaction: claim a use with a conditional UPDATE (the row lock serialises
// concurrent claims of one coupon), credit the balance with its `coupon` ledger row, record the
// redemption (the unique (coupon_id, user_id) index allows one per user) and the activity row.
import { sql } from "drizzle-orm";
import { type ApiError, badRequest, conflict, notFound } from "../lib/errors";
import { formatUsd, type Nanos, parseUsd } from "../lib/money";
import { type Database, postgresErrorCode } from "./client";
import type { CouponScope, CouponType } from "./coupons";
import { applyBalanceChange, type SqlSession } from "./credit-grants";
import { couponTypes } from "./schema";

export interface RedemptionRequest {
  /** Already normalised (normalizeCouponCode). */
  code: string;
  userId: number;
  ipAddress: string | null;
  userAgent: string | null;
}

export interface Redemption {
  redemptionId: number;
  couponId: number;
  code: string;
  value: Nanos;
  previousBalance: Nanos;
  newBalance: Nanos;
  transactionId: number;
}

// The database's check constraints allow only these values; the fallbacks are never taken.
const scopeOf = (value: unknown): CouponScope => (value === "user_specific" ? "user_specific" : "global");
const typeOf = (value: unknown): CouponType => couponTypes.find((type) => type === value) ?? "promotional";

const alreadyRedeemed = () => badRequest("You have already redeemed this coupon", "coupon_already_redeemed", "code");

type Claimed = {
  id: number;
  code: string;
  value_usd: string;
  coupon_scope: string;
  coupon_type: string;
};

/** Takes one use of the coupon if, at this moment, every rule allows this user to redeem it. */
async function claimUse(tx: SqlSession, code: string, userId: number): Promise<Claimed | undefined> {
  const result = await tx.execute<Claimed>(sql`
    update coupons c set times_used = c.times_used + 1, updated_at = now()
    where c.code = ${code} and c.is_active and now() between c.valid_from and c.valid_until
      and c.times_used < c.max_uses
      and (c.coupon_scope = 'global' or c.assigned_to_user_id = ${userId})
      and not exists (select 1 from coupon_redemptions r where r.coupon_id = c.id and r.user_id = ${userId})
    returning c.id, c.code, c.value_usd::text as value_usd, c.coupon_scope, c.coupon_type`);
  return result.rows[0];
}

/** Why a claim failed, from one read; the first rule broken wins (ownership before state). */
async function refusal(tx: SqlSession, code: string, userId: number): Promise<ApiError> {
  const result = await tx.execute<Record<string, unknown>>(sql`
    select c.is_active, c.coupon_scope, c.assigned_to_user_id, c.times_used, c.max_uses,
           now() < c.valid_from as not_yet_valid, now() > c.valid_until as expired,
           exists (select 1 from coupon_redemptions r where r.coupon_id = c.id and r.user_id = ${userId}) as redeemed
    from coupons c where c.code = ${code}`);
  const row = result.rows[0];
  if (!row) return notFound(`No coupon with code ${code}`, "coupon_not_found");
  if (row.coupon_scope === "user_specific" && Number(row.assigned_to_user_id) !== userId) {
    return badRequest("This coupon is assigned to another user", "coupon_not_assigned", "code");
  }
  if (row.redeemed === true) return alreadyRedeemed();
  if (row.is_active !== true) return badRequest("This coupon is no longer active", "coupon_inactive", "code");
  if (row.not_yet_valid === true) return badRequest("This coupon is not valid yet", "coupon_not_yet_valid", "code");
  if (row.expired === true) return badRequest("This coupon has expired", "coupon_expired", "code");
  if (Number(row.times_used) >= Number(row.max_uses)) {
    return badRequest("This coupon has no uses left", "coupon_exhausted", "code");
  }
  // The coupon changed between the claim and this read (an admin edit): nothing was written.
  return conflict("The coupon changed while it was being redeemed; try again", "coupon_changed");
}

/** Redeems the coupon for the user, all or nothing; refusals are ApiErrors with a coupon_* code. */
export async function redeemCoupon(db: Database, request: RedemptionRequest): Promise<Redemption> {
  try {
    return await db.transaction(async (tx) => {
      const claimed = await claimUse(tx, request.code, request.userId);
      if (!claimed) throw await refusal(tx, request.code, request.userId);
      const value = parseUsd(claimed.value_usd);
      const applied = await applyBalanceChange(tx, {
        userId: request.userId,
        amount: value,
        type: "coupon",
        description: `Coupon ${claimed.code}`,
        metadata: {
          coupon_id: claimed.id,
          coupon_code: claimed.code,
          coupon_scope: claimed.coupon_scope,
          coupon_type: claimed.coupon_type,
        },
        createdBy: "system:coupon",
      });
      const details = JSON.stringify({
        coupon_id: claimed.id,
        coupon_code: claimed.code,
        value_usd: formatUsd(value),
        credit_transaction_id: applied.transactionId,
        ip: request.ipAddress,
      });
      const recorded = await tx.execute<{ id: number }>(sql`
        with redemption as (
          insert into coupon_redemptions (coupon_id, user_id, value_applied, user_balance_before, user_balance_after,
                                          credit_transaction_id, ip_address, user_agent)
          values (${claimed.id}, ${request.userId}, ${formatUsd(value)}::numeric, ${formatUsd(applied.previousBalance)}::numeric,
                  ${formatUsd(applied.newBalance)}::numeric, ${applied.transactionId}, ${request.ipAddress}, ${request.userAgent})
          returning id
        ), audit as (
          insert into activity (user_id, action, details) values (${request.userId}, 'coupon_redeemed', ${details}::jsonb)
        )
        select id from redemption`);
      return {
        redemptionId: Number(recorded.rows[0]?.id),
        couponId: claimed.id,
        code: claimed.code,
        value,
        previousBalance: applied.previousBalance,
        newBalance: applied.newBalance,
        transactionId: applied.transactionId,
      };
    });
  } catch (error) {
    // The same user redeeming concurrently: the claim of the second waited for the first and then
    // passed (its snapshot predates the first redemption), and the unique index refused its row.
    const { code, constraint } = postgresErrorCode(error);
    if (code === "23505" && constraint === "coupon_redemptions_coupon_user_unique") throw alreadyRedeemed();
    throw error;
  }
}

export interface AvailableCoupon {
  id: number;
  code: string;
  valueUsd: string;
  scope: CouponScope;
  type: CouponType;
  description: string | null;
  validUntil: Date;
  remainingUses: number;
}

/** Coupons the user could redeem right now: assigned to them or global, and not redeemed by them. */
export async function availableCoupons(db: Database, userId: number): Promise<AvailableCoupon[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select c.id, c.code, c.value_usd::text as value_usd, c.coupon_scope, c.coupon_type, c.description, c.valid_until,
           (c.max_uses - c.times_used)::int as remaining_uses
    from coupons c
    where c.is_active and now() between c.valid_from and c.valid_until and c.times_used < c.max_uses
      and (c.coupon_scope = 'global' or c.assigned_to_user_id = ${userId})
      and not exists (select 1 from coupon_redemptions r where r.coupon_id = c.id and r.user_id = ${userId})
    order by c.valid_until, c.id`);
  return result.rows.map((row) => ({
    id: Number(row.id),
    code: String(row.code),
    valueUsd: String(row.value_usd),
    scope: scopeOf(row.coupon_scope),
    type: typeOf(row.coupon_type),
    description: typeof row.description === "string" ? row.description : null,
    validUntil: new Date(String(row.valid_until)),
    remainingUses: Number(row.remaining_uses),
  }));
}

export interface RedemptionHistoryRow {
  id: number;
  code: string;
  scope: CouponScope;
  type: CouponType;
  valueApplied: string;
  redeemedAt: Date;
  balanceBefore: string;
  balanceAfter: string;
}

export interface RedemptionHistory {
  rows: RedemptionHistoryRow[];
  /** Over all the user's redemptions, not only this page. */
  total: number;
  totalValue: string;
}

export async function redemptionHistory(
  db: Database,
  userId: number,
  page: { limit: number; offset: number },
): Promise<RedemptionHistory> {
  const [rows, totals] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select r.id, c.code, c.coupon_scope, c.coupon_type, r.value_applied::text as value_applied, r.redeemed_at,
             r.user_balance_before::text as balance_before, r.user_balance_after::text as balance_after
      from coupon_redemptions r join coupons c on c.id = r.coupon_id
      where r.user_id = ${userId}
      order by r.redeemed_at desc, r.id desc limit ${page.limit} offset ${page.offset}`),
    db.execute<Record<string, unknown>>(sql`
      select count(*)::int as total, coalesce(sum(value_applied), 0)::text as total_value
      from coupon_redemptions where user_id = ${userId}`),
  ]);
  const summary = totals.rows[0] ?? {};
  return {
    rows: rows.rows.map((row) => ({
      id: Number(row.id),
      code: String(row.code),
      scope: scopeOf(row.coupon_scope),
      type: typeOf(row.coupon_type),
      valueApplied: String(row.value_applied),
      redeemedAt: new Date(String(row.redeemed_at)),
      balanceBefore: String(row.balance_before),
      balanceAfter: String(row.balance_after),
    })),
    total: Number(summary.total ?? 0),
    totalValue: String(summary.total_value ?? "0"),
  };
}
