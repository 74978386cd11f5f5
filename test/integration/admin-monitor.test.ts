// GET /admin/monitor: the system snapshot, from users and the request log, with per-user usage.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { settleInference } from "../../src/db/inference";
import { execute, registerAccount, withDatabase } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";

interface MonitorBody {
  status: string;
  data: {
    total_users: number;
    users_today: number;
    total_credits: number;
    api_calls_today: number;
    api_calls_month: number;
    tokens_today: number;
    tokens_month: number;
    revenue_today: number;
    revenue_month: number;
    recent_usage: { request_id: string; created_at: string; cost_usd: number }[];
    user_metrics: {
      user_id: number;
      requests: number;
      tokens: number;
      cost: number;
      cost_today: number;
      balance: number;
    }[];
    user_metrics_total: number;
    limit: number;
    offset: number;
  };
}

const monitor = async (query = "") => {
  const response = await call(`/admin/monitor${query}`, { key: TEST_ADMIN_API_KEY });
  expect(response.status).toBe(200);
  return (await response.json()) as MonitorBody;
};

describe("GET /admin/monitor", () => {
  it("needs an admin", async () => {
    const user = await registerAccount();
    expect((await call("/admin/monitor")).status).toBe(401);
    expect((await call("/admin/monitor", { key: user.apiKey })).status).toBe(403);
  });

  it("reports a heavy user's usage exactly and ranks them first", async () => {
    const [before] = await execute(sql`select count(*)::int as n from users`);
    const heavy = await registerAccount();
    await execute(sql`update users set purchased_credits = 2000 where id = ${heavy.userId}`);
    await withDatabase(async (db) => {
      for (let index = 0; index < 3; index++) {
        await settleInference(db, inferenceRecord(heavy.userId, `monitor-${crypto.randomUUID()}`, "600.5"));
      }
    });

    const body = await monitor("?limit=5");
    expect(body.status).toBe("success");
    const [first] = body.data.user_metrics;
    expect(first).toMatchObject({
      user_id: heavy.userId,
      requests: 3,
      tokens: 45,
      cost: 1801.5,
      cost_today: 1801.5,
      balance: 198.5,
    });
    const [after] = await execute(sql`select count(*)::int as n from users`);
    expect(body.data.total_users).toBeGreaterThanOrEqual(Number(before?.n) + 1);
    expect(body.data.total_users).toBeLessThanOrEqual(Number(after?.n));
    expect(body.data.users_today).toBeGreaterThanOrEqual(1);
    expect(body.data.revenue_today).toBeGreaterThanOrEqual(1801.5);
    expect(body.data.revenue_month).toBeGreaterThanOrEqual(body.data.revenue_today);
    expect(body.data.api_calls_today).toBeGreaterThanOrEqual(3);
    expect(body.data.api_calls_month).toBeGreaterThanOrEqual(body.data.api_calls_today);
    expect(body.data.tokens_today).toBeGreaterThanOrEqual(45);
    expect(body.data.total_credits).toBeGreaterThanOrEqual(198.5);
  });

  it("paginates user metrics with the exact total and limits recent usage", async () => {
    const page = await monitor("?limit=1&offset=0&recent=3");
    expect(page.data.user_metrics).toHaveLength(1);
    expect(page.data.recent_usage.length).toBeLessThanOrEqual(3);
    const times = page.data.recent_usage.map((row) => Date.parse(row.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const [users] = await execute(
      sql`select count(distinct user_id)::int as n from chat_completion_requests
          where created_at >= now() - interval '30 days' and user_id is not null`,
    );
    expect(page.data.user_metrics_total).toBeLessThanOrEqual(Number(users?.n));
    expect(page.data.user_metrics_total).toBeGreaterThanOrEqual(1);
    const beyond = await monitor(`?offset=${page.data.user_metrics_total + 1000}&recent=0`);
    expect(beyond.data.user_metrics).toEqual([]);
    expect(beyond.data.recent_usage).toEqual([]);
    expect(beyond.data.offset).toBe(page.data.user_metrics_total + 1000);
  });

  it("refuses bad paging with 400", async () => {
    for (const query of ["?limit=0", "?limit=1001", "?offset=-1", "?recent=101"]) {
      expect((await call(`/admin/monitor${query}`, { key: TEST_ADMIN_API_KEY })).status).toBe(400);
    }
  });
});
