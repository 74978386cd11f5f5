import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, userKeySecurity } from "../common.schemas";

export const activityLogRoute = createRoute({
  method: "get",
  path: "/user/activity/log",
  tags: ["Account"],
  summary: "Your activity, newest first (chat completions, API keys created and revoked, …)",
  security: userKeySecurity,
  request: {
    query: z.object({
      action: z.string().trim().min(1).max(100).optional(),
      from: z.coerce.date().optional().openapi({ description: "ISO date or date-time" }),
      to: z.coerce.date().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: "Activity",
      content: {
        "application/json": {
          schema: z
            .object({
              activities: z.array(
                z.object({ id: z.number().int(), action: z.string(), details: z.unknown(), created_at: z.string() }),
              ),
              total: z.number().int(),
              limit: z.number().int(),
              offset: z.number().int(),
              has_more: z.boolean(),
            })
            .openapi("ActivityLog"),
        },
      },
    },
    ...errorResponses(400, 401, 402, 403, 429, 500, 503),
  },
});

export const activityStatsRoute = createRoute({
  method: "get",
  path: "/user/activity/stats",
  tags: ["Account"],
  summary: "Your activity over the last `days` days: by action, by day, tokens used",
  security: userKeySecurity,
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) },
  responses: {
    200: {
      description: "Statistics",
      content: {
        "application/json": {
          schema: z
            .object({
              period_days: z.number().int(),
              total_activities: z.number().int(),
              by_action: z.record(z.string(), z.number().int()),
              daily: z.array(z.object({ date: z.string(), count: z.number().int() })),
              tokens_used: z.number().int(),
              first_activity_at: z.string().nullable(),
              last_activity_at: z.string().nullable(),
            })
            .openapi("ActivityStats"),
        },
      },
    },
    ...errorResponses(400, 401, 402, 403, 429, 500, 503),
  },
});
