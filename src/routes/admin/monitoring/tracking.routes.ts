import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";

const tags = ["Admin: request analytics"];

export const trackingQualityRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/api-key-tracking-quality",
  tags,
  summary: "Share of logged requests that carry their API key over the last `hours`, with an alert status",
  description:
    'alert_status: ok at a tracking rate of 90% or more (or with no requests), warning from 70%, critical below. A failure is a 5xx in the error shape (the seed answered 200 with alert_status "error").',
  security: adminSecurity,
  request: { query: z.object({ hours: z.coerce.number().int().min(1).max(168).default(24) }) },
  responses: {
    200: jsonContent(
      z
        .object({
          total_requests: z.number().int(),
          requests_with_api_key: z.number().int(),
          requests_without_api_key: z.number().int(),
          tracking_rate_percent: z.number(),
          breakdown: z.object({
            null_key_with_valid_user: z.number().int(),
            both_null_likely_anonymous: z.number().int(),
            null_key_with_valid_user_percent: z.number(),
            both_null_percent: z.number(),
          }),
          time_window: z.object({ hours: z.number().int(), start_time: z.string(), end_time: z.string() }),
          alert_status: z.enum(["ok", "warning", "critical"]),
          recommendations: z.array(z.string()),
        })
        .openapi("ApiKeyTrackingQuality"),
      "Tracking quality",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const trackingTrendRoute = createRoute({
  method: "get",
  path: "/admin/monitoring/api-key-tracking-trend",
  tags,
  summary: "API-key tracking rate per UTC day over the last `days` days (today included), oldest first",
  security: adminSecurity,
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(30).default(7) }) },
  responses: {
    200: jsonContent(
      z
        .object({
          trend_data: z.array(
            z.object({
              date: z.string(),
              total_requests: z.number().int(),
              requests_with_api_key: z.number().int(),
              tracking_rate_percent: z.number(),
            }),
          ),
          summary: z.object({
            period_days: z.number().int(),
            total_requests: z.number().int(),
            requests_with_api_key: z.number().int(),
            average_tracking_rate_percent: z.number(),
            start_date: z.string(),
            end_date: z.string(),
          }),
        })
        .openapi("ApiKeyTrackingTrend"),
      "Daily tracking rate",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});
