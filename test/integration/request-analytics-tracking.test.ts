// API-key tracking quality and trend. They count every logged request, and other files log requests
// at the same time, so this file dates its own rows where nothing else is (about 100 hours and 20
// days ago) and checks the counts there exactly, the rest by bounds and by consistency.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";
import { logRequest } from "../support/request-analytics-fixtures";

const admin = { key: TEST_ADMIN_API_KEY };

interface Quality {
  total_requests: number;
  requests_with_api_key: number;
  requests_without_api_key: number;
  tracking_rate_percent: number;
  breakdown: {
    null_key_with_valid_user: number;
    both_null_likely_anonymous: number;
    null_key_with_valid_user_percent: number;
    both_null_percent: number;
  };
  time_window: { hours: number; start_time: string; end_time: string };
  alert_status: string;
  recommendations: string[];
}

interface Trend {
  trend_data: { date: string; total_requests: number; requests_with_api_key: number; tracking_rate_percent: number }[];
  summary: Record<string, unknown> & { total_requests: number; requests_with_api_key: number };
}

let carol: TestAccount;
/** The UTC day 20 days ago, YYYY-MM-DD. */
let oldDay: string;

/** Two with a key, one with a user but no key, one anonymous. */
async function logMix(account: TestAccount): Promise<string[]> {
  return [
    await logRequest({ userId: account.userId, apiKeyId: account.apiKeyId }),
    await logRequest({ userId: account.userId, apiKeyId: account.apiKeyId }),
    await logRequest({ userId: account.userId, apiKeyId: null }),
    await logRequest({ userId: null, apiKeyId: null }),
  ];
}

beforeAll(async () => {
  carol = await registerAccount();
  const recent = await logMix(carol);
  await execute(sql`update chat_completion_requests set created_at = now() - interval '100 hours'
    where request_id = any(${`{${recent.join(",")}}`}::text[])`);
  const old = await logMix(carol);
  await execute(sql`update chat_completion_requests
    set created_at = (date_trunc('day', now() at time zone 'UTC') - interval '20 days' + interval '12 hours') at time zone 'UTC'
    where request_id = any(${`{${old.join(",")}}`}::text[])`);
  oldDay = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
});

const quality = async (hours: number) => {
  const response = await call(`/admin/monitoring/api-key-tracking-quality?hours=${hours}`, admin);
  expect(response.status).toBe(200);
  return (await response.json()) as Quality;
};

function expectConsistent(body: Quality): void {
  const percent = (part: number) =>
    body.total_requests > 0 ? Math.round((part / body.total_requests) * 10_000) / 100 : 0;
  expect(body.requests_with_api_key + body.requests_without_api_key).toBe(body.total_requests);
  expect(body.breakdown.null_key_with_valid_user + body.breakdown.both_null_likely_anonymous).toBe(
    body.requests_without_api_key,
  );
  expect(body.tracking_rate_percent).toBe(percent(body.requests_with_api_key));
  expect(body.breakdown.both_null_percent).toBe(percent(body.breakdown.both_null_likely_anonymous));
  const rate = body.tracking_rate_percent;
  const expected = body.total_requests === 0 || rate >= 90 ? "ok" : rate >= 70 ? "warning" : "critical";
  expect(body.alert_status).toBe(expected);
  expect(body.recommendations.length).toBeGreaterThan(0);
}

describe("GET /admin/monitoring/api-key-tracking-quality", () => {
  it("counts requests with and without their key over the window", async () => {
    // The 1-hour window first: everything it counts, the later 168-hour one counts too, plus carol's rows.
    const hour = await quality(1);
    const week = await quality(168);
    expectConsistent(hour);
    expectConsistent(week);
    expect(week.total_requests - hour.total_requests).toBeGreaterThanOrEqual(4);
    expect(week.requests_with_api_key - hour.requests_with_api_key).toBeGreaterThanOrEqual(2);
    expect(week.breakdown.null_key_with_valid_user - hour.breakdown.null_key_with_valid_user).toBeGreaterThanOrEqual(1);
    expect(
      week.breakdown.both_null_likely_anonymous - hour.breakdown.both_null_likely_anonymous,
    ).toBeGreaterThanOrEqual(1);
    // A user's request without its key is the lookup failure the seed warns about.
    expect(week.recommendations.some((text) => text.includes("API key lookup"))).toBe(true);
    const { start_time, end_time, hours } = week.time_window;
    expect(hours).toBe(168);
    expect(Date.parse(end_time) - Date.parse(start_time)).toBe(168 * 3_600_000);
    expect(Math.abs(Date.parse(end_time) - Date.now())).toBeLessThan(60_000);
  });

  it("refuses hours outside 1-168", async () => {
    for (const hours of ["0", "169", "abc"]) {
      const response = await call(`/admin/monitoring/api-key-tracking-quality?hours=${hours}`, admin);
      expect(response.status, hours).toBe(400);
      expect((await errorOf(response)).error.param).toBe("hours");
    }
  });
});

describe("GET /admin/monitoring/api-key-tracking-trend", () => {
  it("gives one entry per UTC day, oldest first, today last, with exact counts per day", async () => {
    const response = await call("/admin/monitoring/api-key-tracking-trend?days=30", admin);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Trend;
    expect(body.trend_data).toHaveLength(30);
    const dates = body.trend_data.map((day) => day.date);
    expect(dates.at(-1)).toBe(new Date().toISOString().slice(0, 10));
    for (const [index, date] of dates.entries()) {
      if (index > 0) expect(Date.parse(date) - Date.parse(dates[index - 1] ?? "")).toBe(86_400_000);
    }
    expect(body.trend_data.find((day) => day.date === oldDay)).toEqual({
      date: oldDay,
      total_requests: 4,
      requests_with_api_key: 2,
      tracking_rate_percent: 50,
    });
    const total = body.trend_data.reduce((sum, day) => sum + day.total_requests, 0);
    const withKey = body.trend_data.reduce((sum, day) => sum + day.requests_with_api_key, 0);
    expect(body.summary).toMatchObject({
      period_days: 30,
      total_requests: total,
      requests_with_api_key: withKey,
      average_tracking_rate_percent: Math.round((withKey / total) * 10_000) / 100,
      start_date: dates[0],
      end_date: dates.at(-1),
    });
  });

  it("defaults to 7 days and refuses days outside 1-30", async () => {
    const week = (await (await call("/admin/monitoring/api-key-tracking-trend", admin)).json()) as Trend;
    expect(week.trend_data).toHaveLength(7);
    expect(week.trend_data.some((day) => day.date === oldDay)).toBe(false);
    for (const days of ["0", "31"]) {
      const response = await call(`/admin/monitoring/api-key-tracking-trend?days=${days}`, admin);
      expect(response.status, days).toBe(400);
    }
  });
});
