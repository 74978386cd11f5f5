// Admin coupons: create (the seed's code, value, scope and validity rules), list with an exact total,
// update within the rules, soft delete, per-coupon analytics and the system overview.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { clearAuthCache } from "../../src/middleware/auth";
import { execute, makeAdmin, registerAccount, type TestAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";

type Coupon = Record<string, unknown> & { id: number; code: string };
type Overview = Record<
  | "total_coupons"
  | "active_coupons"
  | "user_specific_coupons"
  | "global_coupons"
  | "total_redemptions"
  | "unique_redeemers"
  | "total_value_distributed"
  | "average_redemption_value",
  number
>;

const admin = (path: string, method = "GET", json?: unknown) => call(path, { method, key: TEST_ADMIN_API_KEY, json });
const hour = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * hour).toISOString();
const uniqueCode = (prefix = "ADM") => `${prefix}-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;

async function createCoupon(fields: Record<string, unknown> = {}): Promise<Coupon> {
  const response = await admin("/admin/coupons", "POST", {
    code: uniqueCode(),
    value_usd: 5,
    coupon_scope: "global",
    max_uses: 10,
    valid_until: inHours(24),
    ...fields,
  });
  if (response.status !== 201) throw new Error(`coupon creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Coupon;
}

const redeem = (account: TestAccount, code: string) =>
  call("/coupons/redeem", { method: "POST", key: account.apiKey, json: { code } });

describe("admin coupons: access", () => {
  it("needs an admin key", async () => {
    const user = await registerAccount();
    expect((await call("/admin/coupons")).status).toBe(401);
    const refused = await call("/admin/coupons", { method: "POST", key: user.apiKey, json: {} });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).error.code).toBe("admin_required");
    expect((await call("/admin/coupons/stats/overview", { key: user.apiKey })).status).toBe(403);
  });
});

describe("POST /admin/coupons", () => {
  it("normalises the code, keeps the value exact and records the bootstrap key as creator", async () => {
    const suffix = crypto.randomUUID().slice(0, 6);
    const before = Date.now();
    const response = await admin("/admin/coupons", "POST", {
      code: ` summer sale!${suffix}_x `,
      value_usd: "12.345678901",
      coupon_scope: "global",
      max_uses: 3,
      valid_until: inHours(48),
      description: "  Summer campaign  ",
    });
    expect(response.status).toBe(201);
    const coupon = (await response.json()) as Coupon;
    expect(coupon).toMatchObject({
      code: `SUMMERSALE${suffix.toUpperCase()}_X`,
      value_usd: 12.345678901,
      coupon_scope: "global",
      coupon_type: "promotional",
      max_uses: 3,
      times_used: 0,
      is_active: true,
      assigned_to_user_id: null,
      created_by: null,
      created_by_type: "bootstrap",
      description: "Summer campaign",
    });
    expect(Math.abs(Date.parse(String(coupon.valid_from)) - before)).toBeLessThan(60_000);
    const [row] = await execute(sql`select value_usd::text as value from coupons where id = ${coupon.id}`);
    expect(row?.value).toBe("12.345678901");
  });

  it("records an admin user as creator; a user-specific coupon gets one use by default", async () => {
    const adminUser = await registerAccount();
    await makeAdmin(adminUser.userId);
    clearAuthCache();
    const owner = await registerAccount();
    const response = await call("/admin/coupons", {
      method: "POST",
      key: adminUser.apiKey,
      json: {
        code: uniqueCode(),
        value_usd: 1000,
        coupon_scope: "user_specific",
        coupon_type: "compensation",
        assigned_to_user_id: owner.userId,
        valid_until: inHours(1),
      },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      value_usd: 1000,
      max_uses: 1,
      coupon_type: "compensation",
      assigned_to_user_id: owner.userId,
      created_by: adminUser.userId,
      created_by_type: "admin",
    });
  });

  it.each([
    ["a code too short once cleaned", { code: "a!*" }, "code"],
    ["a code over 50 characters", { code: "X".repeat(51) }, "code"],
    ["a zero value", { value_usd: 0 }, "value_usd"],
    ["a negative value", { value_usd: "-1" }, "value_usd"],
    ["a value over 1000", { value_usd: 1000.01 }, "value_usd"],
    ["more than 9 decimals", { value_usd: "1.0000000001" }, "value_usd"],
    ["an unknown scope", { coupon_scope: "everyone" }, "coupon_scope"],
    ["an unknown type", { coupon_type: "gift" }, "coupon_type"],
    ["no valid_until", { valid_until: undefined }, "valid_until"],
    ["valid_until before valid_from", { valid_from: inHours(2), valid_until: inHours(1) }, "valid_until"],
    ["a description over 500 characters", { description: "d".repeat(501) }, "description"],
    ["a global coupon with an assignee", { assigned_to_user_id: 1 }, "assigned_to_user_id"],
    ["a global coupon without max_uses", { max_uses: undefined }, "max_uses"],
    ["max_uses 0", { max_uses: 0 }, "max_uses"],
    ["a user-specific coupon without assignee", { coupon_scope: "user_specific", max_uses: 1 }, "assigned_to_user_id"],
  ])("refuses %s with 400, writing nothing", async (_, fields, param) => {
    const code = uniqueCode("BAD");
    const response = await admin("/admin/coupons", "POST", {
      code,
      value_usd: 5,
      coupon_scope: "global",
      max_uses: 10,
      valid_until: inHours(24),
      ...fields,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.param).toBe(param);
    expect(await execute(sql`select 1 from coupons where code = ${code}`)).toEqual([]);
  });

  it("refuses a user-specific coupon with more than one use", async () => {
    const owner = await registerAccount();
    const response = await admin("/admin/coupons", "POST", {
      code: uniqueCode(),
      value_usd: 5,
      coupon_scope: "user_specific",
      assigned_to_user_id: owner.userId,
      max_uses: 2,
      valid_until: inHours(24),
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ error: { code: "invalid_max_uses", param: "max_uses" } });
  });

  it("answers 404 for an assignee that does not exist", async () => {
    const code = uniqueCode();
    const response = await admin("/admin/coupons", "POST", {
      code,
      value_usd: 5,
      coupon_scope: "user_specific",
      assigned_to_user_id: 2_000_000_000,
      valid_until: inHours(24),
    });
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({ error: { code: "user_not_found", param: "assigned_to_user_id" } });
    expect(await execute(sql`select 1 from coupons where code = ${code}`)).toEqual([]);
  });

  it("answers 409 for a code that exists once normalised", async () => {
    const first = await createCoupon();
    const again = await admin("/admin/coupons", "POST", {
      code: ` ${first.code.toLowerCase()} `,
      value_usd: 1,
      coupon_scope: "global",
      max_uses: 1,
      valid_until: inHours(1),
    });
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({ error: { type: "conflict_error", code: "coupon_code_exists" } });
  });
});

describe("GET /admin/coupons", () => {
  it("filters by scope, type and active flag, newest first", async () => {
    const owner = await registerAccount();
    const referral = await createCoupon({ coupon_type: "referral" });
    const personal = await createCoupon({
      coupon_scope: "user_specific",
      coupon_type: "compensation",
      assigned_to_user_id: owner.userId,
      max_uses: undefined,
    });
    const retired = await createCoupon({ coupon_type: "partnership" });
    expect((await admin(`/admin/coupons/${retired.id}`, "DELETE")).status).toBe(200);

    const list = async (query: string) => {
      const response = await admin(`/admin/coupons?limit=1000&${query}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { coupons: Coupon[] }).coupons;
    };
    const ids = (coupons: Coupon[]) => coupons.map((coupon) => coupon.id);

    const global = await list("scope=global");
    expect(global.every((coupon) => coupon.coupon_scope === "global")).toBe(true);
    expect(ids(global)).toEqual(expect.arrayContaining([referral.id, retired.id]));
    expect(ids(global)).not.toContain(personal.id);
    // Newest first.
    expect(ids(global).indexOf(retired.id)).toBeLessThan(ids(global).indexOf(referral.id));

    const compensation = await list("coupon_type=compensation");
    expect(compensation.every((coupon) => coupon.coupon_type === "compensation")).toBe(true);
    expect(ids(compensation)).toContain(personal.id);
    expect(ids(compensation)).not.toContain(referral.id);

    const inactive = await list("is_active=false");
    expect(inactive.every((coupon) => coupon.is_active === false)).toBe(true);
    expect(ids(inactive)).toContain(retired.id);
    expect(ids(inactive)).not.toContain(referral.id);

    expect(ids(await list("scope=global&coupon_type=referral&is_active=true"))).toContain(referral.id);
    expect(ids(await list("scope=user_specific&is_active=false"))).not.toContain(personal.id);
  });

  it("reports the exact total of the filter, not the page's length", async () => {
    await createCoupon();
    await createCoupon();
    // Other files create coupons too: compare within a window where the count did not move.
    for (let attempt = 0; ; attempt++) {
      const count = async () =>
        Number((await execute(sql`select count(*)::int as n from coupons where coupon_scope = 'global'`))[0]?.n);
      const before = await count();
      const response = await admin("/admin/coupons?scope=global&limit=1&offset=1");
      const after = await count();
      if (before !== after && attempt < 5) continue;
      const body = (await response.json()) as Record<string, unknown> & { coupons: Coupon[] };
      expect(body).toMatchObject({ total: before, limit: 1, offset: 1, has_more: before > 2 });
      expect(body.coupons).toHaveLength(1);
      expect(before).toBeGreaterThanOrEqual(2);
      break;
    }
  });

  it("refuses an unknown filter value with 400", async () => {
    expect((await admin("/admin/coupons?scope=everyone")).status).toBe(400);
    expect((await admin("/admin/coupons?limit=0")).status).toBe(400);
  });
});

describe("GET, PATCH and DELETE /admin/coupons/{id}", () => {
  it("reads one coupon; 404 for an unknown one, 400 for a malformed id", async () => {
    const coupon = await createCoupon({ coupon_type: "referral", description: "Friends" });
    const response = await admin(`/admin/coupons/${coupon.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(coupon);
    const missing = await admin("/admin/coupons/2000000000");
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).error.code).toBe("coupon_not_found");
    expect((await admin("/admin/coupons/abc")).status).toBe(400);
  });

  it("changes only the allowed fields; nothing to change is 400", async () => {
    const coupon = await createCoupon({ description: "Old" });
    const empty = await admin(`/admin/coupons/${coupon.id}`, "PATCH", {});
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).error.message).toBe("No fields to update");
    const onlyOthers = await admin(`/admin/coupons/${coupon.id}`, "PATCH", { code: "HIJACK", value_usd: 999 });
    expect(onlyOthers.status).toBe(400);

    const validUntil = inHours(72);
    const response = await admin(`/admin/coupons/${coupon.id}`, "PATCH", {
      valid_until: validUntil,
      max_uses: 20,
      is_active: false,
      description: "New",
      value_usd: 999,
    });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as Coupon;
    expect(updated).toMatchObject({
      code: coupon.code,
      value_usd: 5,
      max_uses: 20,
      is_active: false,
      description: "New",
      valid_until: validUntil,
    });
    expect(Date.parse(String(updated.updated_at))).toBeGreaterThanOrEqual(Date.parse(String(coupon.updated_at)));
    const cleared = await admin(`/admin/coupons/${coupon.id}`, "PATCH", { description: null, is_active: true });
    expect(await cleared.json()).toMatchObject({ description: null, is_active: true });
  });

  it("keeps max_uses at or above times_used, one use for a user-specific coupon, valid_until after valid_from", async () => {
    const coupon = await createCoupon({ max_uses: 5 });
    for (const account of [await registerAccount(), await registerAccount()]) {
      expect((await redeem(account, coupon.code)).status).toBe(200);
    }
    const below = await admin(`/admin/coupons/${coupon.id}`, "PATCH", { max_uses: 1 });
    expect(below.status).toBe(400);
    expect(await errorOf(below)).toMatchObject({ error: { code: "invalid_max_uses", param: "max_uses" } });
    const exact = await admin(`/admin/coupons/${coupon.id}`, "PATCH", { max_uses: 2 });
    expect(await exact.json()).toMatchObject({ max_uses: 2, times_used: 2 });
    const late = await redeem(await registerAccount(), coupon.code);
    expect((await errorOf(late)).error.code).toBe("coupon_exhausted");

    const early = await admin(`/admin/coupons/${coupon.id}`, "PATCH", { valid_until: "2000-01-01T00:00:00Z" });
    expect(early.status).toBe(400);
    expect((await errorOf(early)).error.param).toBe("valid_until");

    const owner = await registerAccount();
    const personal = await createCoupon({
      coupon_scope: "user_specific",
      assigned_to_user_id: owner.userId,
      max_uses: 1,
    });
    const more = await admin(`/admin/coupons/${personal.id}`, "PATCH", { max_uses: 3 });
    expect(more.status).toBe(400);
    const [row] = await execute(sql`select max_uses from coupons where id = ${personal.id}`);
    expect(row?.max_uses).toBe(1);
    expect((await admin("/admin/coupons/2000000000", "PATCH", { is_active: false })).status).toBe(404);
  });

  it("deactivates softly; an unknown or already inactive coupon is 404", async () => {
    const coupon = await createCoupon();
    const response = await admin(`/admin/coupons/${coupon.id}`, "DELETE");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true, message: "Coupon deactivated successfully" });
    const [row] = await execute(sql`select is_active from coupons where id = ${coupon.id}`);
    expect(row?.is_active).toBe(false);
    const again = await admin(`/admin/coupons/${coupon.id}`, "DELETE");
    expect(again.status).toBe(404);
    expect((await errorOf(again)).error.message).toBe("Coupon not found or already inactive");
    expect((await admin("/admin/coupons/2000000000", "DELETE")).status).toBe(404);
  });
});

describe("coupon analytics and the overview", () => {
  it("counts one coupon's redemptions, users, value, rate and remaining uses", async () => {
    const coupon = await createCoupon({ value_usd: "2.5", max_uses: 3 });
    const fresh = await admin(`/admin/coupons/${coupon.id}/analytics`);
    expect(await fresh.json()).toMatchObject({
      total_redemptions: 0,
      unique_users: 0,
      total_value_distributed: 0,
      redemption_rate: 0,
      remaining_uses: 3,
      is_expired: false,
    });
    for (const account of [await registerAccount(), await registerAccount()]) {
      expect((await redeem(account, coupon.code)).status).toBe(200);
    }
    const response = await admin(`/admin/coupons/${coupon.id}/analytics`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      coupon: { id: coupon.id, times_used: 2 },
      total_redemptions: 2,
      unique_users: 2,
      total_value_distributed: 5,
      redemption_rate: 66.67,
      remaining_uses: 1,
      is_expired: false,
    });
    expect((await admin("/admin/coupons/2000000000/analytics")).status).toBe(404);
  });

  it("says when a coupon has expired", async () => {
    const coupon = await createCoupon({ valid_from: inHours(-48), valid_until: inHours(-24) });
    expect(await (await admin(`/admin/coupons/${coupon.id}/analytics`)).json()).toMatchObject({ is_expired: true });
  });

  it("totals coupons and redemptions over the whole system, in SQL", async () => {
    const owner = await registerAccount();
    const personal = await createCoupon({
      coupon_scope: "user_specific",
      assigned_to_user_id: owner.userId,
      max_uses: undefined,
    });
    const coupon = await createCoupon({ value_usd: "0.333333333" });
    // The owner redeems twice: redeemers are counted once each.
    for (const [account, code] of [
      [owner, personal.code],
      [owner, coupon.code],
      [await registerAccount(), coupon.code],
    ] as const) {
      expect((await redeem(account, code)).status).toBe(200);
    }
    // Other files write coupons meanwhile: compare with SQL inside a window where it did not move.
    const expected = async () => {
      const [row] = await execute(sql`select
          (select count(*)::int from coupons) as total_coupons,
          (select count(*)::int from coupons where is_active) as active_coupons,
          (select count(*)::int from coupons where coupon_scope = 'user_specific') as user_specific_coupons,
          (select count(*)::int from coupons where coupon_scope = 'global') as global_coupons,
          (select count(*)::int from coupon_redemptions) as total_redemptions,
          (select count(distinct user_id)::int from coupon_redemptions) as unique_redeemers,
          (select sum(value_applied)::float8 from coupon_redemptions) as total_value_distributed,
          (select (sum(value_applied) / count(*))::float8 from coupon_redemptions) as average_redemption_value`);
      return row ?? {};
    };
    for (let attempt = 0; ; attempt++) {
      const before = await expected();
      const response = await admin("/admin/coupons/stats/overview");
      const after = await expected();
      if (JSON.stringify(before) !== JSON.stringify(after) && attempt < 5) continue;
      expect(response.status).toBe(200);
      const stats = (await response.json()) as Overview;
      const { total_value_distributed, average_redemption_value, ...counts } = before;
      expect(stats).toMatchObject(counts);
      expect(stats.total_value_distributed).toBeCloseTo(Number(total_value_distributed), 6);
      expect(stats.average_redemption_value).toBeCloseTo(Number(average_redemption_value), 6);
      expect(stats.total_redemptions).toBeGreaterThanOrEqual(3);
      expect(stats.unique_redeemers).toBeLessThan(stats.total_redemptions);
      expect(stats.user_specific_coupons).toBeGreaterThanOrEqual(1);
      break;
    }
  });
});
