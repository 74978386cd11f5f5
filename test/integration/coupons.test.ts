// Users and coupons: what they can redeem, redeeming (one transaction: the use, the balance, the
// `coupon` ledger row, the redemption, the activity row), the refusals, races, and the history.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { clearAuthCache } from "../../src/middleware/auth";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";

type Coupon = Record<string, unknown> & { id: number; code: string };

const hour = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * hour).toISOString();
const uniqueCode = () => `USR-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;

async function createCoupon(fields: Record<string, unknown> = {}): Promise<Coupon> {
  const response = await call("/admin/coupons", {
    method: "POST",
    key: TEST_ADMIN_API_KEY,
    json: {
      code: uniqueCode(),
      value_usd: 5,
      coupon_scope: "global",
      max_uses: 10,
      valid_until: inHours(24),
      ...fields,
    },
  });
  if (response.status !== 201) throw new Error(`coupon creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Coupon;
}

const personalCoupon = (owner: TestAccount, fields: Record<string, unknown> = {}) =>
  createCoupon({ coupon_scope: "user_specific", assigned_to_user_id: owner.userId, max_uses: 1, ...fields });

const redeem = (account: TestAccount, code: string, headers: Record<string, string> = {}) =>
  call("/coupons/redeem", { method: "POST", key: account.apiKey, json: { code }, headers });

async function balanceOf(userId: number): Promise<string> {
  const [row] = await execute(
    sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${userId}`,
  );
  return String(row?.balance);
}

/** Everything a redemption writes, to show a refusal wrote none of it. */
async function footprint(coupon: Coupon, account: TestAccount) {
  const [row] = await execute(sql`select
      (select times_used from coupons where id = ${coupon.id}) as times_used,
      (select count(*)::int from coupon_redemptions where coupon_id = ${coupon.id}) as redemptions,
      (select count(*)::int from credit_transactions where user_id = ${account.userId} and type = 'coupon') as ledger,
      (select count(*)::int from activity where user_id = ${account.userId} and action = 'coupon_redeemed') as activity,
      (select (subscription_allowance + purchased_credits)::text from users where id = ${account.userId}) as balance`);
  return row;
}

async function available(account: TestAccount): Promise<Record<string, unknown>[]> {
  const response = await call("/coupons/available", { key: account.apiKey });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>[];
}

describe("coupon routes: access", () => {
  it("need a key; an expired trial gets 402", async () => {
    expect((await call("/coupons/available")).status).toBe(401);
    expect((await call("/coupons/redeem", { method: "POST", json: { code: "ABC" } })).status).toBe(401);
    const account = await registerAccount();
    await execute(sql`update users set subscription_status = 'trial', trial_expires_at = now() - interval '1 day'
      where id = ${account.userId}`);
    clearAuthCache();
    for (const response of [
      await call("/coupons/available", { key: account.apiKey }),
      await call("/coupons/history", { key: account.apiKey }),
      await redeem(account, "ANYTHING"),
    ]) {
      expect(response.status).toBe(402);
      expect((await errorOf(response)).error.code).toBe("trial_expired");
    }
  });
});

describe("POST /coupons/redeem", () => {
  it("credits purchased credits with a coupon ledger row, the redemption and the activity row, together", async () => {
    const account = await registerAccount();
    const coupon = await createCoupon({ value_usd: "7.25" });
    const before = await balanceOf(account.userId);
    const ip = "203.0.113.77";
    const response = await redeem(account, ` ${coupon.code.toLowerCase()} `, {
      "cf-connecting-ip": ip,
      "user-agent": "coupon-test/1.0",
    });
    expect(response.status).toBe(200);
    const [expected] = await execute(sql`select (${before}::numeric + 7.25)::text as balance`);
    expect(await response.json()).toEqual({
      success: true,
      message: `Coupon ${coupon.code} redeemed: $7.25 added to your balance`,
      coupon_code: coupon.code,
      coupon_value: 7.25,
      previous_balance: Number(before),
      new_balance: Number(expected?.balance),
      error_code: null,
    });
    expect(await balanceOf(account.userId)).toBe(expected?.balance);
    const [redemption] = await execute(sql`select r.value_applied::text as value, r.user_balance_before::text as before,
        r.user_balance_after::text as after, r.ip_address, r.user_agent, t.type, t.amount::text as amount,
        t.balance_before::text as ledger_before, t.balance_after::text as ledger_after, t.metadata, c.times_used
      from coupon_redemptions r join credit_transactions t on t.id = r.credit_transaction_id
      join coupons c on c.id = r.coupon_id
      where r.coupon_id = ${coupon.id} and r.user_id = ${account.userId}`);
    expect(redemption).toMatchObject({
      value: "7.250000000",
      before,
      after: expected?.balance,
      ip_address: ip,
      user_agent: "coupon-test/1.0",
      type: "coupon",
      amount: "7.250000000",
      ledger_before: before,
      ledger_after: expected?.balance,
      metadata: { coupon_id: coupon.id, coupon_code: coupon.code },
      times_used: 1,
    });
    const [activity] = await execute(sql`select details from activity
      where user_id = ${account.userId} and action = 'coupon_redeemed'`);
    expect(activity?.details).toMatchObject({ coupon_id: coupon.id, value_usd: "7.250000000", ip });
  });

  it("credits a balance that in-flight requests left below zero", async () => {
    const account = await registerAccount();
    await execute(
      sql`update users set subscription_allowance = 0, purchased_credits = -0.5 where id = ${account.userId}`,
    );
    const coupon = await createCoupon({ value_usd: 0.2 });
    const response = await redeem(account, coupon.code);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ previous_balance: -0.5, new_balance: -0.3 });
    expect(await balanceOf(account.userId)).toBe("-0.300000000");
  });

  it("once per user: the second time is coupon_already_redeemed and writes nothing", async () => {
    const account = await registerAccount();
    const coupon = await createCoupon();
    expect((await redeem(account, coupon.code)).status).toBe(200);
    const after = await footprint(coupon, account);
    const again = await redeem(account, coupon.code);
    expect(again.status).toBe(400);
    expect(await errorOf(again)).toMatchObject({
      error: { type: "invalid_request_error", code: "coupon_already_redeemed", param: "code" },
    });
    expect(await footprint(coupon, account)).toEqual(after);
  });

  it("answers 404 for an unknown code and 400 for one that cannot be a code", async () => {
    const account = await registerAccount();
    const missing = await redeem(account, "NO-SUCH-COUPON-EVER");
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).error.code).toBe("coupon_not_found");
    const garbage = await redeem(account, "!!!!a");
    expect(garbage.status).toBe(400);
    expect((await errorOf(garbage)).error.code).toBe("invalid_coupon_code");
    expect((await redeem(account, "ab")).status).toBe(400);
  });

  it("a user-specific coupon is refused to everyone but its owner", async () => {
    const owner = await registerAccount();
    const stranger = await registerAccount();
    const coupon = await personalCoupon(owner, { value_usd: 3 });
    const before = await footprint(coupon, stranger);
    const refused = await redeem(stranger, coupon.code);
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).error.code).toBe("coupon_not_assigned");
    expect(await footprint(coupon, stranger)).toEqual(before);
    expect((await redeem(owner, coupon.code)).status).toBe(200);
    expect((await errorOf(await redeem(owner, coupon.code))).error.code).toBe("coupon_already_redeemed");
  });

  it.each([
    ["coupon_inactive", async () => deactivated(await createCoupon())],
    ["coupon_not_yet_valid", () => createCoupon({ valid_from: inHours(1), valid_until: inHours(2) })],
    ["coupon_expired", () => createCoupon({ valid_from: inHours(-2), valid_until: inHours(-1) })],
    ["coupon_exhausted", () => usedUp(createCoupon({ max_uses: 1 }))],
  ])("refuses with %s, writing nothing", async (code, makeCoupon) => {
    const coupon = await makeCoupon();
    const account = await registerAccount();
    const before = await footprint(coupon, account);
    const response = await redeem(account, coupon.code);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.code).toBe(code);
    expect(await footprint(coupon, account)).toEqual(before);
  });
});

async function deactivated(coupon: Coupon): Promise<Coupon> {
  const response = await call(`/admin/coupons/${coupon.id}`, { method: "DELETE", key: TEST_ADMIN_API_KEY });
  if (response.status !== 200) throw new Error(`deactivation failed: ${response.status}`);
  return coupon;
}

async function usedUp(pending: Promise<Coupon>): Promise<Coupon> {
  const coupon = await pending;
  const response = await redeem(await registerAccount(), coupon.code);
  if (response.status !== 200) throw new Error(`redemption failed: ${response.status}`);
  return coupon;
}

describe.skipIf(env.TEST_POSTGRES_KIND !== "postgres")("concurrent redemptions (real PostgreSQL)", () => {
  it("users racing for the last use: exactly one wins and the books reconcile", async () => {
    const coupon = await createCoupon({ value_usd: "1.5", max_uses: 2 });
    await usedUp(Promise.resolve(coupon));
    const racers = await Promise.all(Array.from({ length: 6 }, () => registerAccount()));
    const before = await Promise.all(racers.map((racer) => balanceOf(racer.userId)));
    const responses = await Promise.all(racers.map((racer) => redeem(racer, coupon.code)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(5);
    const losers = responses.filter((response) => response.status === 400);
    for (const loser of losers) expect((await errorOf(loser)).error.code).toBe("coupon_exhausted");
    const after = await Promise.all(racers.map((racer) => balanceOf(racer.userId)));
    const winner = statuses.indexOf(200);
    racers.forEach((_, index) => {
      expect(Number(after[index]) - Number(before[index])).toBeCloseTo(index === winner ? 1.5 : 0, 9);
    });
    const [books] = await execute(sql`select c.times_used,
        (select count(*)::int from coupon_redemptions where coupon_id = c.id) as redemptions,
        (select count(*)::int from credit_transactions where type = 'coupon' and (metadata->>'coupon_id')::int = c.id) as ledger,
        (select sum(amount)::text from credit_transactions where type = 'coupon' and (metadata->>'coupon_id')::int = c.id) as credited
      from coupons c where c.id = ${coupon.id}`);
    expect(books).toEqual({ times_used: 2, redemptions: 2, ledger: 2, credited: "3.000000000" });
  });

  it("one user redeeming many times at once is credited once", async () => {
    const account = await registerAccount();
    const coupon = await createCoupon({ value_usd: 4, max_uses: 50 });
    const personal = await personalCoupon(account, { value_usd: 2 });
    const before = await balanceOf(account.userId);
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, index) => redeem(account, index % 2 === 0 ? coupon.code : personal.code)),
    );
    const global = responses.filter((_, index) => index % 2 === 0);
    const own = responses.filter((_, index) => index % 2 === 1);
    expect(global.filter((response) => response.status === 200)).toHaveLength(1);
    expect(own.filter((response) => response.status === 200)).toHaveLength(1);
    for (const response of responses.filter((candidate) => candidate.status !== 200)) {
      expect(response.status).toBe(400);
      expect((await errorOf(response)).error.code).toBe("coupon_already_redeemed");
    }
    const [expected] = await execute(sql`select (${before}::numeric + 6)::text as balance`);
    expect(await balanceOf(account.userId)).toBe(expected?.balance);
    const [books] = await execute(sql`select
        (select times_used from coupons where id = ${coupon.id}) as global_uses,
        (select times_used from coupons where id = ${personal.id}) as personal_uses,
        (select count(*)::int from credit_transactions where user_id = ${account.userId} and type = 'coupon') as ledger`);
    expect(books).toEqual({ global_uses: 1, personal_uses: 1, ledger: 2 });
  });
});

describe("GET /coupons/available", () => {
  it("lists the caller's own and the global coupons they can still redeem", async () => {
    const account = await registerAccount();
    const other = await registerAccount();
    const mine = await personalCoupon(account, { value_usd: 2, coupon_type: "compensation", description: "Sorry" });
    const theirs = await personalCoupon(other);
    const global = await createCoupon({ max_uses: 3, valid_until: inHours(5) });
    const gone = [
      await deactivated(await createCoupon()),
      await createCoupon({ valid_from: inHours(1), valid_until: inHours(2) }),
      await createCoupon({ valid_from: inHours(-2), valid_until: inHours(-1) }),
      await usedUp(createCoupon({ max_uses: 1 })),
    ];
    const listed = await available(account);
    const codes = listed.map((item) => item.code);
    expect(codes).toEqual(expect.arrayContaining([mine.code, global.code]));
    for (const hidden of [theirs, ...gone]) expect(codes).not.toContain(hidden.code);
    expect(listed.find((item) => item.code === mine.code)).toEqual({
      coupon_id: mine.id,
      code: mine.code,
      value_usd: 2,
      coupon_scope: "user_specific",
      coupon_type: "compensation",
      description: "Sorry",
      valid_until: mine.valid_until,
      remaining_uses: 1,
    });
    expect(listed.find((item) => item.code === global.code)).toMatchObject({ remaining_uses: 3 });

    expect((await redeem(account, global.code)).status).toBe(200);
    expect((await redeem(account, mine.code)).status).toBe(200);
    const afterwards = (await available(account)).map((item) => item.code);
    expect(afterwards).not.toContain(global.code);
    expect(afterwards).not.toContain(mine.code);
    const forOther = await available(other);
    expect(forOther.find((item) => item.code === global.code)).toMatchObject({ remaining_uses: 2 });
    expect(forOther.map((item) => item.code)).toContain(theirs.code);
  });
});

describe("GET /coupons/history", () => {
  it("pages the caller's redemptions newest first, with totals over all of them", async () => {
    const account = await registerAccount();
    expect(await (await call("/coupons/history", { key: account.apiKey })).json()).toEqual({
      redemptions: [],
      total_redemptions: 0,
      total_value_redeemed: 0,
      limit: 50,
      offset: 0,
      has_more: false,
    });
    const coupons = [
      await createCoupon({ value_usd: "1.1", coupon_type: "referral" }),
      await personalCoupon(account, { value_usd: "2.2" }),
      await createCoupon({ value_usd: "3.3" }),
    ];
    for (const coupon of coupons) expect((await redeem(account, coupon.code)).status).toBe(200);
    // Someone else's redemption is not in this history.
    expect((await redeem(await registerAccount(), coupons[0]?.code ?? "")).status).toBe(200);

    const page = async (query: string) => {
      const response = await call(`/coupons/history?${query}`, { key: account.apiKey });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown> & { redemptions: Record<string, unknown>[] };
    };
    const first = await page("limit=2");
    expect(first).toMatchObject({ total_redemptions: 3, total_value_redeemed: 6.6, limit: 2, has_more: true });
    expect(first.redemptions.map((row) => row.coupon_code)).toEqual([coupons[2]?.code, coupons[1]?.code]);
    expect(first.redemptions[1]).toMatchObject({ coupon_scope: "user_specific", value_applied: 2.2 });
    const [newest] = first.redemptions;
    expect(Number(newest?.user_balance_after) - Number(newest?.user_balance_before)).toBeCloseTo(3.3, 9);
    const second = await page("limit=2&offset=2");
    expect(second).toMatchObject({ total_redemptions: 3, total_value_redeemed: 6.6, has_more: false });
    expect(second.redemptions).toHaveLength(1);
    expect(second.redemptions[0]).toMatchObject({
      coupon_code: coupons[0]?.code,
      coupon_type: "referral",
      coupon_scope: "global",
      value_applied: 1.1,
    });
    expect((await call("/coupons/history?limit=0", { key: account.apiKey })).status).toBe(400);
  });
});

describe("coupon endpoints in the OpenAPI document", () => {
  it("are documented with their statuses", async () => {
    const document = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const expected: [string, string, string[]][] = [
      ["/coupons/available", "get", ["200", "401", "402"]],
      ["/coupons/redeem", "post", ["200", "400", "401", "402", "404", "409"]],
      ["/coupons/history", "get", ["200", "400", "401", "402"]],
      ["/admin/coupons", "get", ["200", "400", "401", "403"]],
      ["/admin/coupons", "post", ["201", "400", "403", "404", "409"]],
      ["/admin/coupons/stats/overview", "get", ["200", "403"]],
      ["/admin/coupons/{id}", "get", ["200", "404"]],
      ["/admin/coupons/{id}", "patch", ["200", "400", "404"]],
      ["/admin/coupons/{id}", "delete", ["200", "404"]],
      ["/admin/coupons/{id}/analytics", "get", ["200", "404"]],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(statuses));
    }
  });
});
