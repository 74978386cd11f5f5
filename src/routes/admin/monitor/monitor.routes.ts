import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";

const usd = (description: string) => z.number().openapi({ description: `${description} (USD)` });

export const MonitorSchema = z
  .object({
    status: z.literal("success"),
    timestamp: z.string(),
    data: z.object({
      total_users: z.number().int(),
      users_today: z.number().int().openapi({ description: "Accounts created in the last 24 hours" }),
      total_credits: usd("Sum of every account's balance"),
      api_calls_today: z.number().int().openapi({ description: "Inference requests in the last 24 hours" }),
      api_calls_month: z.number().int().openapi({ description: "Inference requests in the last 30 days" }),
      failed_calls_today: z.number().int(),
      tokens_today: z.number().int(),
      tokens_month: z.number().int(),
      revenue_today: usd("Charged in the last 24 hours"),
      revenue_month: usd("Charged in the last 30 days"),
      recent_usage: z.array(
        z.object({
          request_id: z.string(),
          user_id: z.number().int().nullable(),
          api_key_id: z.number().int().nullable(),
          model: z.string(),
          provider: z.string().nullable(),
          status: z.string(),
          http_status: z.number().int(),
          prompt_tokens: z.number().int(),
          completion_tokens: z.number().int(),
          cost_usd: z.number(),
          latency_ms: z.number().int().nullable(),
          created_at: z.string(),
        }),
      ),
      user_metrics: z
        .array(
          z.object({
            user_id: z.number().int(),
            username: z.string(),
            email: z.string(),
            requests: z.number().int(),
            requests_today: z.number().int(),
            tokens: z.number().int(),
            tokens_today: z.number().int(),
            cost: z.number(),
            cost_today: z.number(),
            balance: z.number(),
            last_request_at: z.string(),
          }),
        )
        .openapi({
          description: "Per-user usage over 30 days, highest cost first (keyed by user: keys are stored hashed)",
        }),
      user_metrics_total: z.number().int().openapi({ description: "Users with at least one request in 30 days" }),
      limit: z.number().int(),
      offset: z.number().int(),
    }),
  })
  .openapi("AdminMonitor");

export const monitorRoute = createRoute({
  method: "get",
  path: "/admin/monitor",
  tags: ["Admin: users"],
  summary: "System snapshot: users, credits, calls, tokens and revenue today and over 30 days, per-user usage",
  description:
    "Computed in SQL from users and the request log. `recent_usage` holds the latest `recent` requests; " +
    "`user_metrics` is paginated with `limit`/`offset` and its exact total.",
  security: adminSecurity,
  request: {
    query: z.object({
      recent: z.coerce.number().int().min(0).max(100).default(20),
      limit: z.coerce.number().int().min(1).max(1000).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: jsonContent(MonitorSchema, "The snapshot"),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});
