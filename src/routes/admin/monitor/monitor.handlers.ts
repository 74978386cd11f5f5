import type { RouteHandler } from "@hono/zod-openapi";
import { monitorTotals, recentUsage, userMetrics } from "../../../db/admin-monitor";
import type { AppEnv } from "../../../env";
import { usdNumberOf } from "../../../lib/money";
import type { monitorRoute } from "./monitor.routes";

const iso = (value: unknown) => new Date(String(value)).toISOString();
const nullableInt = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export const monitor: RouteHandler<typeof monitorRoute, AppEnv> = async (c) => {
  const { recent, limit, offset } = c.req.valid("query");
  const db = c.var.db();
  const [totals, usage, metrics] = await Promise.all([
    monitorTotals(db),
    recent > 0 ? recentUsage(db, recent) : Promise.resolve([]),
    userMetrics(db, { limit, offset }),
  ]);
  return c.json(
    {
      status: "success" as const,
      timestamp: new Date().toISOString(),
      data: {
        ...totals,
        total_credits: usdNumberOf(totals.total_credits),
        revenue_today: usdNumberOf(totals.revenue_today),
        revenue_month: usdNumberOf(totals.revenue_month),
        recent_usage: usage.map((row) => ({
          request_id: String(row.request_id),
          user_id: nullableInt(row.user_id),
          api_key_id: nullableInt(row.api_key_id),
          model: String(row.model),
          provider: row.provider === null ? null : String(row.provider),
          status: String(row.status),
          http_status: Number(row.http_status),
          prompt_tokens: Number(row.prompt_tokens),
          completion_tokens: Number(row.completion_tokens),
          cost_usd: usdNumberOf(String(row.cost_usd)),
          latency_ms: nullableInt(row.latency_ms),
          created_at: iso(row.created_at),
        })),
        user_metrics: metrics.rows.map((row) => ({
          user_id: Number(row.user_id),
          username: String(row.username),
          email: String(row.email),
          requests: Number(row.requests),
          requests_today: Number(row.requests_today),
          tokens: Number(row.tokens),
          tokens_today: Number(row.tokens_today),
          cost: usdNumberOf(String(row.cost)),
          cost_today: usdNumberOf(String(row.cost_today)),
          balance: usdNumberOf(String(row.balance)),
          last_request_at: iso(row.last_request_at),
        })),
        user_metrics_total: metrics.total,
        limit,
        offset,
      },
    },
    200,
  );
};
