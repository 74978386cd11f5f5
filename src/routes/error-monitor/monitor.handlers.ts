import type { RouteHandler } from "@hono/zod-openapi";
import { startMonitor, stopMonitor } from "../../db/error-monitor-state";
import type { AppEnv } from "../../env";
import { runScan } from "../../operations/error-scan";
import { requireFixModel } from "../../operations/fix-generator";
import { actorOf, operationsDeps, presentPattern } from "./error-monitor.present";
import type { scanRoute, startMonitorRoute, stopMonitorRoute } from "./monitor.routes";

export const scan: RouteHandler<typeof scanRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const { summary, topPatterns } = await runScan(operationsDeps(c), {
    hours: query.hours,
    autoFix: query.auto_fix,
    trigger: "manual",
  });
  return c.json({ status: "scanned" as const, ...summary, patterns: topPatterns.map(presentPattern) }, 200);
};

export const start: RouteHandler<typeof startMonitorRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  // Scheduled auto-fixes could never run without a model: refuse now rather than fail every interval.
  if (query.auto_fix) requireFixModel(c.var.config);
  const { alreadyRunning, state } = await startMonitor(c.var.sql(), {
    intervalSeconds: query.interval,
    autoFix: query.auto_fix,
    startedBy: actorOf(c),
  });
  return c.json(
    {
      status: "started" as const,
      already_running: alreadyRunning,
      interval_seconds: state.interval_seconds,
      auto_fix: state.auto_fix,
      message: alreadyRunning
        ? "The monitor was already running; its interval and auto_fix were updated"
        : `Scheduled scans every ${state.interval_seconds} s (the every-minute cron runs them)`,
      monitor: {
        enabled: state.enabled,
        scan_interval: state.interval_seconds,
        started_at: state.started_at,
        started_by: state.started_by,
      },
    },
    200,
  );
};

export const stop: RouteHandler<typeof stopMonitorRoute, AppEnv> = async (c) => {
  const { wasRunning } = await stopMonitor(c.var.sql());
  return c.json(
    {
      status: "stopped" as const,
      was_running: wasRunning,
      message: wasRunning ? "Scheduled scans are off" : "The monitor was not running",
    },
    200,
  );
};
