import type { RouteHandler } from "@hono/zod-openapi";
import { type TrackingCounts, trackingByDay, trackingCounts } from "../../../db/request-analytics-tracking";
import type { AppEnv } from "../../../env";
import { percentOf } from "../../../lib/percent";
import type { trackingQualityRoute, trackingTrendRoute } from "./tracking.routes";

/** part / whole as a percent with 2 decimals; 0 when there is no whole. */

// Seed thresholds (001 L2163-2209).
const OK_RATE = 90;
const WARNING_RATE = 70;
const ANONYMOUS_SHARE = 0.2;

function alertStatusOf(counts: TrackingCounts, rate: number): "ok" | "warning" | "critical" {
  if (counts.total === 0 || rate >= OK_RATE) return "ok";
  return rate >= WARNING_RATE ? "warning" : "critical";
}

function recommendationsOf(counts: TrackingCounts, rate: number): string[] {
  if (counts.total === 0) return ["No requests in this time window."];
  const advice: string[] = [];
  if (counts.nullKeyWithUser > 0) {
    advice.push(
      `${counts.nullKeyWithUser} requests have a user but no API key: an API key lookup is failing somewhere.`,
    );
  }
  if (counts.bothNull > counts.total * ANONYMOUS_SHARE) {
    advice.push(
      `High anonymous traffic: ${percentOf(counts.bothNull, counts.total)}% of requests have neither an API key nor a user.`,
    );
  }
  if (rate < OK_RATE) advice.push(`API key tracking rate ${rate}% is below the ${OK_RATE}% threshold.`);
  return advice.length > 0 ? advice : ["API key tracking quality is good. No action needed."];
}

export const trackingQuality: RouteHandler<typeof trackingQualityRoute, AppEnv> = async (c) => {
  const { hours } = c.req.valid("query");
  const to = new Date();
  const from = new Date(to.getTime() - hours * 3_600_000);
  const counts = await trackingCounts(c.var.db(), { from, to });
  const rate = percentOf(counts.withKey, counts.total);
  return c.json(
    {
      total_requests: counts.total,
      requests_with_api_key: counts.withKey,
      requests_without_api_key: counts.withoutKey,
      tracking_rate_percent: rate,
      breakdown: {
        null_key_with_valid_user: counts.nullKeyWithUser,
        both_null_likely_anonymous: counts.bothNull,
        null_key_with_valid_user_percent: percentOf(counts.nullKeyWithUser, counts.total),
        both_null_percent: percentOf(counts.bothNull, counts.total),
      },
      time_window: { hours, start_time: from.toISOString(), end_time: to.toISOString() },
      alert_status: alertStatusOf(counts, rate),
      recommendations: recommendationsOf(counts, rate),
    },
    200,
  );
};

export const trackingTrend: RouteHandler<typeof trackingTrendRoute, AppEnv> = async (c) => {
  const { days } = c.req.valid("query");
  const daily = await trackingByDay(c.var.db(), days);
  const total = daily.reduce((sum, day) => sum + day.total, 0);
  const withKey = daily.reduce((sum, day) => sum + day.withKey, 0);
  return c.json(
    {
      trend_data: daily.map((day) => ({
        date: day.date,
        total_requests: day.total,
        requests_with_api_key: day.withKey,
        tracking_rate_percent: percentOf(day.withKey, day.total),
      })),
      summary: {
        period_days: days,
        total_requests: total,
        requests_with_api_key: withKey,
        average_tracking_rate_percent: percentOf(withKey, total),
        start_date: daily[0]?.date ?? "",
        end_date: daily.at(-1)?.date ?? "",
      },
    },
    200,
  );
};
