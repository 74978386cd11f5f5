import { createRoute, z } from "@hono/zod-openapi";
import { subscriptionStatuses, userRoles } from "../../../db/schema";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";

const record = z.record(z.string(), z.unknown());

export const AdminUserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    role: z.string(),
    is_admin: z.boolean(),
    is_active: z.boolean(),
    auth_method: z.string(),
    subscription_status: z.string(),
    tier: z.string(),
    trial_expires_at: z.string().nullable(),
    credits: z.number(),
    subscription_allowance: z.number(),
    purchased_credits: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("AdminUser");

export const listUsersRoute = createRoute({
  method: "get",
  path: "/admin/users",
  tags: ["Admin: users"],
  summary: "Users, filtered and paginated, with the exact total",
  security: adminSecurity,
  request: {
    query: z.object({
      email: z
        .string()
        .trim()
        .min(1)
        .max(320)
        .optional()
        .openapi({ description: "Part of the email (case-insensitive)" }),
      api_key: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .openapi({ description: "Part of a key's display prefix (keys are stored hashed)" }),
      is_active: z.enum(["true", "false"]).optional(),
      role: z.enum(userRoles).optional(),
      subscription_status: z.enum(subscriptionStatuses).optional(),
      limit: z.coerce.number().int().min(1).max(10_000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("success"),
          total_users: z.number().int(),
          has_more: z.boolean(),
          pagination: z.object({
            limit: z.number().int(),
            offset: z.number().int(),
            current_page: z.number().int(),
            total_pages: z.number().int(),
          }),
          filters_applied: record,
          users: z.array(AdminUserSchema),
          timestamp: z.string(),
        })
        .openapi("AdminUserList"),
      "Users",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const countUsersRoute = createRoute({
  method: "get",
  path: "/admin/users/count",
  tags: ["Admin: users"],
  summary: "How many users there are",
  security: adminSecurity,
  responses: {
    200: jsonContent(z.object({ count: z.number().int(), timestamp: z.string() }), "Count"),
    ...errorResponses(401, 403, 500, 503),
  },
});

const userFilterQuery = {
  email: z.string().trim().min(1).max(320).optional().openapi({ description: "Part of the email (case-insensitive)" }),
  api_key: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "Part of a key's display prefix (keys are stored hashed)" }),
  is_active: z.enum(["true", "false"]).optional(),
};

export const userStatsRoute = createRoute({
  method: "get",
  path: "/admin/users/stats",
  tags: ["Admin: users"],
  summary: "User statistics: active, roles, credits, subscription breakdown (same filters as the list)",
  security: adminSecurity,
  request: { query: z.object(userFilterQuery) },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("success"),
          total_users: z.number().int(),
          filters_applied: record,
          statistics: z.object({
            active_users: z.number().int(),
            inactive_users: z.number().int(),
            admin_users: z.number().int(),
            developer_users: z.number().int(),
            regular_users: z.number().int(),
            total_credits: z.number(),
            average_credits: z.number(),
            subscription_breakdown: z.record(z.string(), z.number().int()),
          }),
          timestamp: z.string(),
        })
        .openapi("AdminUserStats"),
      "Statistics",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const userGrowthRoute = createRoute({
  method: "get",
  path: "/admin/users/growth",
  tags: ["Admin: users"],
  summary: "Cumulative users per UTC day over the last `days` days, and the growth rate",
  security: adminSecurity,
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("success"),
          days: z.number().int(),
          start_date: z.string(),
          end_date: z.string(),
          data: z.array(z.object({ date: z.string(), value: z.number().int(), new_users: z.number().int() })),
          total: z.number().int(),
          growth_rate: z.number().openapi({ description: "Percent from the first day's total to the last day's" }),
          timestamp: z.string(),
        })
        .openapi("AdminUserGrowth"),
      "Growth",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const userByApiKeyRoute = createRoute({
  method: "get",
  path: "/admin/users/by-api-key",
  tags: ["Admin: users"],
  summary: "The owner of a full API key (looked up by its hash)",
  security: adminSecurity,
  request: { query: z.object({ api_key: z.string().trim().min(1).max(200) }) },
  responses: {
    200: jsonContent(z.object({ status: z.literal("success"), user: AdminUserSchema, api_key: record }), "The owner"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const getUserRoute = createRoute({
  method: "get",
  path: "/admin/users/{id}",
  tags: ["Admin: users"],
  summary: "One user with their keys (never the keys themselves), recent activity and requests",
  security: adminSecurity,
  request: { params: z.object({ id: z.coerce.number().int().positive() }) },
  responses: {
    200: jsonContent(
      z.object({
        status: z.literal("success"),
        user: AdminUserSchema,
        api_keys: z.array(record),
        recent_activity: z.array(record),
        recent_requests: z.array(record),
      }),
      "The user",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const getApiKeyRoute = createRoute({
  method: "get",
  path: "/admin/api-keys/{id}",
  tags: ["Admin: users"],
  summary: "One API key (its prefix and settings, never the key: only its hash is stored) and its owner",
  security: adminSecurity,
  request: { params: z.object({ id: z.coerce.number().int().positive() }) },
  responses: {
    200: jsonContent(z.object({ status: z.literal("success"), api_key: record, user: AdminUserSchema }), "The key"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const deleteUsersByDomainRoute = createRoute({
  method: "delete",
  path: "/admin/users/by-domain/{domain}",
  tags: ["Admin: users"],
  summary: "Delete every user at an email domain (a dry run unless dry_run=false)",
  description:
    "Major mail providers are protected (400). Admin accounts are never deleted in bulk (reported as failed). The deletion is one statement: all of the users go, or none. Their keys stop working at once in this isolate and within AUTH_CACHE_TTL_SECONDS elsewhere.",
  security: adminSecurity,
  request: {
    params: z.object({
      domain: z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^(?=.{3,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/, "must be a domain such as example.com"),
    }),
    query: z.object({ dry_run: z.enum(["true", "false"]).default("true") }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("success"),
          message: z.string(),
          dry_run: z.boolean(),
          count: z.number().int(),
          failed: z.array(z.object({ id: z.number().int(), error: z.string() })).optional(),
          users: z.array(
            z.object({
              id: z.number().int(),
              email: z.string(),
              username: z.string(),
              created_at: z.string(),
              credits: z.number(),
            }),
          ),
          timestamp: z.string(),
        })
        .openapi("DeleteUsersByDomain"),
      "Deleted, or what would be",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const trialAnalyticsRoute = createRoute({
  method: "get",
  path: "/admin/trial/analytics",
  tags: ["Admin: users"],
  summary: "Trials: active, expired, converted, conversion rate, and what accounts on trial used",
  security: adminSecurity,
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          analytics: z.object({
            total_trials: z.number().int(),
            active_trials: z.number().int(),
            expired_trials: z.number().int(),
            converted_trials: z.number().int(),
            conversion_rate: z.number(),
            usage_statistics: z.object({
              total_tokens_used: z.number().int(),
              total_requests_used: z.number().int(),
              total_credits_used: z.number(),
              total_credits_allocated: z.number(),
              credits_utilization_rate: z.number(),
            }),
            average_usage_per_trial: z.object({ tokens: z.number(), requests: z.number(), credits: z.number() }),
            trial_status_breakdown: z.object({
              active: z.number().int(),
              expired: z.number().int(),
              converted: z.number().int(),
              pending_conversion: z.number().int(),
            }),
          }),
        })
        .openapi("TrialAnalytics"),
      "Analytics",
    ),
    ...errorResponses(401, 403, 500, 503),
  },
});
