import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { constantTimeEqual } from "../../lib/crypto";
import { unauthorized } from "../../lib/errors";
import { renderMetrics } from "../../operations/metrics";
import { PROMETHEUS_CONTENT_TYPE } from "../../operations/metrics-exposition";
import type { metricsRoute } from "./metrics.routes";

let warnedPublic = false;

/** With METRICS_TOKEN set, the scrape must present it as a Bearer token (compared in constant time). */
async function checkScrapeToken(c: Context<AppEnv>): Promise<void> {
  const expected = c.var.config.METRICS_TOKEN;
  if (expected === undefined) {
    // Costs and traffic per model are business data: say once per isolate that anyone can read them.
    if (!warnedPublic && c.var.config.ENVIRONMENT === "production") {
      console.warn(JSON.stringify({ msg: "GET /metrics is public: set METRICS_TOKEN to require a scrape token" }));
    }
    warnedPublic = true;
    return;
  }
  const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (given === undefined) {
    throw unauthorized("Authorization: Bearer <METRICS_TOKEN> is required", "missing_metrics_token");
  }
  if (!(await constantTimeEqual(given, expected))) throw unauthorized("Invalid metrics token", "invalid_metrics_token");
}

export const metrics: RouteHandler<typeof metricsRoute, AppEnv> = async (c) => {
  await checkScrapeToken(c);
  const text = await renderMetrics({
    env: c.env,
    config: c.var.config,
    db: c.var.sql,
    reporter: c.var.sentry,
  });
  return c.text(text, 200, { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" });
};
