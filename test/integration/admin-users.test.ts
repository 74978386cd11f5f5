// Admin reads of users and keys: filters with exact totals, one user in full, lookups by key (hashed),
// and never a full API key in any answer.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { settleInference } from "../../src/db/inference";
import { execute, makeAdmin, registerAccount, type TestAccount, uniqueName, withDatabase } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";

const admin = { key: TEST_ADMIN_API_KEY };

interface UserList {
  total_users: number;
  has_more: boolean;
  pagination: { current_page: number; total_pages: number };
  users: { id: number; email: string; credits: number; is_active: boolean }[];
}

let marker: string;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  marker = uniqueName("adm");
  alice = await registerAccount({ email: `${marker}-alice@example.com` });
  bob = await registerAccount({ email: `${marker}-bob@example.com` });
  await execute(sql`update users set is_active = false where id = ${bob.userId}`);
});

describe("GET /admin/users", () => {
  it("is for admins only, /admin/users itself included", async () => {
    expect((await call("/admin/users")).status).toBe(401);
    expect((await call("/admin/users", { key: alice.apiKey })).status).toBe(403);
    expect((await call("/admin/users/count", { key: alice.apiKey })).status).toBe(403);
  });

  it("filters by email part and active flag, with the exact total and the seed's pagination fields", async () => {
    const both = (await (await call(`/admin/users?email=${marker}`, admin)).json()) as UserList;
    expect(both.total_users).toBe(2);
    expect(both.users.map((user) => user.id).sort()).toEqual([alice.userId, bob.userId].sort());
    const active = (await (await call(`/admin/users?email=${marker}&is_active=true`, admin)).json()) as UserList;
    expect(active.users.map((user) => user.id)).toEqual([alice.userId]);
    expect(active.users[0]).toMatchObject({ credits: 5, is_active: true });
    const paged = (await (await call(`/admin/users?email=${marker}&limit=1&offset=1`, admin)).json()) as UserList;
    expect(paged).toMatchObject({ total_users: 2, has_more: false, pagination: { current_page: 2, total_pages: 2 } });
    expect(paged.users).toHaveLength(1);
    // A wildcard in the filter is matched literally.
    expect(((await (await call("/admin/users?email=%25", admin)).json()) as UserList).total_users).toBe(0);
  });

  it("finds users by a part of a key's display prefix", async () => {
    const prefix = alice.apiKey.slice(0, 14);
    const found = (await (await call(`/admin/users?api_key=${prefix}`, admin)).json()) as UserList;
    expect(found.users.map((user) => user.id)).toContain(alice.userId);
  });

  it("counts every user", async () => {
    const [count] = await execute(sql`select count(*)::int as n from users`);
    expect(await (await call("/admin/users/count", admin)).json()).toMatchObject({ count: count?.n });
  });

  it("computes statistics for the filtered users in SQL", async () => {
    const response = await call(`/admin/users/stats?email=${marker}`, admin);
    expect(await response.json()).toMatchObject({
      total_users: 2,
      filters_applied: { email: marker, api_key: null, is_active: null },
      statistics: {
        active_users: 1,
        inactive_users: 1,
        admin_users: 0,
        regular_users: 2,
        total_credits: 10,
        average_credits: 5,
        subscription_breakdown: { trial: 2 },
      },
    });
  });

  it("reports cumulative users per day, with today's registrations", async () => {
    const response = await call("/admin/users/growth?days=7", admin);
    const body = (await response.json()) as {
      days: number;
      data: { date: string; value: number; new_users: number }[];
      total: number;
      end_date: string;
    };
    const [count] = await execute(sql`select count(*)::int as n from users`);
    expect(body.days).toBe(7);
    expect(body.data).toHaveLength(7);
    expect(body.end_date).toBe(new Date().toISOString().slice(0, 10));
    expect(body.total).toBe(count?.n);
    expect(body.data.at(-1)?.new_users).toBeGreaterThanOrEqual(2);
    for (let index = 1; index < body.data.length; index++) {
      const day = body.data[index];
      expect(day?.value).toBe((body.data[index - 1]?.value ?? 0) + (day?.new_users ?? 0));
    }
    expect((await call("/admin/users/growth?days=366", admin)).status).toBe(400);
  });
});

describe("one user, one key", () => {
  it("shows a user with their keys (never the key), recent activity and requests; unknown is 404", async () => {
    const response = await call(`/admin/users/${alice.userId}`, admin);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(alice.apiKey);
    const body = JSON.parse(text) as {
      user: { id: number };
      api_keys: { id: number; key_prefix: string }[];
      recent_activity: { action: string }[];
    };
    expect(body.user.id).toBe(alice.userId);
    expect(body.api_keys.map((key) => key.id)).toEqual([alice.apiKeyId]);
    expect(body.api_keys[0]).not.toHaveProperty("key_hash");
    expect(body.recent_activity.map((row) => row.action)).toContain("user_registered");
    const missing = await call("/admin/users/2000000000", admin);
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).error.code).toBe("user_not_found");
  });

  it("finds the owner of a full key by its hash, and shows a key by id without revealing it", async () => {
    const owner = await call(`/admin/users/by-api-key?api_key=${alice.apiKey}`, admin);
    expect(await owner.json()).toMatchObject({ user: { id: alice.userId }, api_key: { id: alice.apiKeyId } });
    expect((await call("/admin/users/by-api-key?api_key=gw_live_nobody", admin)).status).toBe(404);
    const key = await call(`/admin/api-keys/${alice.apiKeyId}`, admin);
    const text = await key.text();
    expect(text).not.toContain(alice.apiKey);
    expect(JSON.parse(text)).toMatchObject({
      api_key: { id: alice.apiKeyId, is_active: true },
      user: { id: alice.userId },
    });
    expect((await call("/admin/api-keys/2000000000", admin)).status).toBe(404);
    expect((await call("/admin/api-keys/abc", admin)).status).toBe(400);
  });
});

describe("DELETE /admin/users/by-domain/{domain}", () => {
  it("previews by default, then deletes in one statement, never an admin; deleted keys stop working", async () => {
    const domain = `d${crypto.randomUUID().slice(0, 8)}.example`;
    const doomed = [
      await registerAccount({ email: `a@${domain}` }),
      await registerAccount({ email: `B@${domain.toUpperCase()}` }),
    ];
    const keeper = await registerAccount({ email: `boss@${domain}` });
    await makeAdmin(keeper.userId);

    const preview = await call(`/admin/users/by-domain/${domain}`, { method: "DELETE", ...admin });
    expect(await preview.json()).toMatchObject({
      dry_run: true,
      count: 3,
      message: `DRY RUN: Would delete 3 users from domain: ${domain}`,
    });
    const [still] = await execute(
      sql`select count(*)::int as n from users where lower(split_part(email, '@', 2)) = ${domain}`,
    );
    expect(still?.n).toBe(3);

    const response = await call(`/admin/users/by-domain/${domain}?dry_run=false`, { method: "DELETE", ...admin });
    const body = (await response.json()) as { count: number; failed: { id: number; error: string }[] };
    expect(body.count).toBe(2);
    expect(body.failed).toEqual([{ id: keeper.userId, error: "admin accounts are never deleted in bulk" }]);
    const left = await execute(sql`select id from users where lower(split_part(email, '@', 2)) = ${domain}`);
    expect(left).toEqual([{ id: keeper.userId }]);
    expect((await call("/user/profile", { key: doomed[0]?.apiKey })).status).toBe(401);
    const ledger = await execute(sql`select 1 from credit_transactions where user_id = ${doomed[0]?.userId}`);
    expect(ledger).toEqual([]);
  });

  it("refuses protected and malformed domains; a domain without users is an empty answer", async () => {
    const gmail = await call("/admin/users/by-domain/GMAIL.com?dry_run=false", { method: "DELETE", ...admin });
    expect(gmail.status).toBe(400);
    expect((await errorOf(gmail)).error.code).toBe("protected_domain");
    expect((await call("/admin/users/by-domain/not_a_domain", { method: "DELETE", ...admin })).status).toBe(400);
    const none = await call("/admin/users/by-domain/nobody-here.example", { method: "DELETE", ...admin });
    expect(await none.json()).toMatchObject({
      count: 0,
      users: [],
      message: "No users found with email domain: nobody-here.example",
    });
    expect((await call("/admin/users/by-domain/example.com", { method: "DELETE", key: alice.apiKey })).status).toBe(
      403,
    );
  });
});

describe("GET /admin/trial/analytics", () => {
  interface Analytics {
    analytics: {
      total_trials: number;
      active_trials: number;
      expired_trials: number;
      converted_trials: number;
      conversion_rate: number;
      usage_statistics: { total_requests_used: number; total_credits_used: number; total_credits_allocated: number };
      trial_status_breakdown: { pending_conversion: number; expired: number };
    };
  }
  const analytics = async () => ((await (await call("/admin/trial/analytics", admin)).json()) as Analytics).analytics;

  it("counts trials by state and what accounts on trial used (other files add users alongside: deltas)", async () => {
    const before = await analytics();
    const [onTrial, lapsed, paying] = [await registerAccount(), await registerAccount(), await registerAccount()];
    await execute(sql`update users set trial_expires_at = now() - interval '1 day' where id = ${lapsed.userId}`);
    await execute(sql`update users set subscription_status = 'active' where id = ${paying.userId}`);
    await withDatabase((db) =>
      settleInference(db, inferenceRecord(onTrial.userId, `trial-${crypto.randomUUID()}`, "0.25")),
    );
    const after = await analytics();
    expect(after.total_trials - before.total_trials).toBeGreaterThanOrEqual(3);
    expect(after.converted_trials - before.converted_trials).toBeGreaterThanOrEqual(1);
    expect(after.expired_trials - before.expired_trials).toBeGreaterThanOrEqual(1);
    expect(
      after.usage_statistics.total_requests_used - before.usage_statistics.total_requests_used,
    ).toBeGreaterThanOrEqual(1);
    expect(
      after.usage_statistics.total_credits_used - before.usage_statistics.total_credits_used,
    ).toBeGreaterThanOrEqual(0.25 - 1e-9);
    // The trial credit of the two accounts still on trial ($5 each) is allocated; the converted one's is not.
    expect(
      after.usage_statistics.total_credits_allocated - before.usage_statistics.total_credits_allocated,
    ).toBeGreaterThanOrEqual(10);
    expect(after.active_trials + after.expired_trials + after.converted_trials).toBeLessThanOrEqual(after.total_trials);
    expect(after.conversion_rate).toBe(Math.round((after.converted_trials / after.total_trials) * 10_000) / 100);
    expect(after.trial_status_breakdown.pending_conversion).toBe(after.trial_status_breakdown.expired);
    expect((await call("/admin/trial/analytics", { key: onTrial.apiKey })).status).toBe(403);
  });
});
