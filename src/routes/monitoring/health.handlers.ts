import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { overallStatus, providerHealth } from "../../operations/provider-health";
import { isProviderId } from "../../providers/registry";
import { HEALTH_FORMULA, type healthRoute, type providerHealthRoute } from "./health.routes";
import { presentHealth, presentOutcome } from "./monitoring.schemas";

export const health: RouteHandler<typeof healthRoute, AppEnv> = async (c) => {
  const { window_minutes: windowMinutes } = c.req.valid("query");
  const report = await providerHealth(c.var.db(), c.env, c.var.config.ENVIRONMENT, { windowMinutes });
  const count = (status: string) => report.providers.filter((entry) => entry.status === status).length;
  return c.json(
    {
      status: overallStatus(report.providers),
      window_minutes: report.windowMinutes,
      since: report.since.toISOString(),
      timestamp: new Date().toISOString(),
      breakers_read: report.breakersRead,
      summary: {
        providers: report.providers.length,
        healthy: count("healthy"),
        degraded: count("degraded"),
        unhealthy: count("unhealthy"),
        unknown: count("unknown"),
      },
      providers: report.providers.map(presentHealth),
      method: HEALTH_FORMULA,
    },
    200,
  );
};

export const providerHealthOne: RouteHandler<typeof providerHealthRoute, AppEnv> = async (c) => {
  const { provider } = c.req.valid("param");
  const { window_minutes: windowMinutes } = c.req.valid("query");
  const report = await providerHealth(c.var.db(), c.env, c.var.config.ENVIRONMENT, { windowMinutes, provider });
  const [entry] = report.providers;
  if (!entry || (!isProviderId(provider) && !entry.stats && !entry.breaker)) {
    throw notFound(
      `No provider '${provider}' (not configured here, no recent requests, no breaker)`,
      "provider_not_found",
    );
  }
  return c.json(
    {
      ...presentHealth(entry),
      window_minutes: report.windowMinutes,
      since: report.since.toISOString(),
      timestamp: new Date().toISOString(),
      models: (report.models ?? []).map((stats) => ({ model: stats.model ?? "", ...presentOutcome(stats) })),
      method: HEALTH_FORMULA,
    },
    200,
  );
};
