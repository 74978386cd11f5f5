import type { RouteHandler } from "@hono/zod-openapi";
import { activityLog, activityStats } from "../../db/activity";
import type { AppEnv } from "../../env";
import { currentUser } from "../../middleware/auth";
import type { activityLogRoute, activityStatsRoute } from "./activity.routes";

export const listActivity: RouteHandler<typeof activityLogRoute, AppEnv> = async (c) => {
  const { action, from, to, limit, offset } = c.req.valid("query");
  const { user } = currentUser(c);
  const { rows, total } = await activityLog(c.var.db(), user.id, { action, from, to }, { limit, offset });
  return c.json(
    {
      activities: rows.map((row) => ({
        id: row.id,
        action: row.action,
        details: row.details,
        created_at: row.createdAt.toISOString(),
      })),
      total,
      limit,
      offset,
      has_more: offset + rows.length < total,
    },
    200,
  );
};

export const activitySummary: RouteHandler<typeof activityStatsRoute, AppEnv> = async (c) => {
  const { days } = c.req.valid("query");
  const { user } = currentUser(c);
  const stats = await activityStats(c.var.db(), user.id, days);
  return c.json(
    {
      period_days: days,
      total_activities: stats.total,
      by_action: stats.byAction,
      daily: stats.daily,
      tokens_used: stats.tokensUsed,
      first_activity_at: stats.first?.toISOString() ?? null,
      last_activity_at: stats.last?.toISOString() ?? null,
    },
    200,
  );
};
