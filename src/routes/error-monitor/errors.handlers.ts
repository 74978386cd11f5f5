import type { RouteHandler } from "@hono/zod-openapi";
import {
  countEventsSince,
  countPatterns,
  eventsByCategory,
  findPatterns,
  type PatternFilter,
  type PatternOrder,
} from "../../db/error-events";
import { latestFixAt, listFixes } from "../../db/error-fixes";
import { readMonitorState } from "../../db/error-monitor-state";
import type { errorCategories, errorSeverities } from "../../db/schema";
import type { AppEnv } from "../../env";
import { fixableCategories } from "../../operations/error-classify";
import { lokiEnabled } from "../../operations/loki";
import { hoursAgo, pagination, presentFix, presentPattern } from "./error-monitor.present";
import type {
  criticalErrorsRoute,
  dashboardRoute,
  errorPatternsRoute,
  fixableErrorsRoute,
  monitorStatusRoute,
  recentErrorsRoute,
} from "./errors.routes";

const critical: PatternFilter["severities"] = ["critical", "high"];

async function patternPage(
  db: Parameters<typeof findPatterns>[0],
  filter: PatternFilter,
  page: { limit: number; offset: number; order: PatternOrder },
) {
  const [rows, totals] = await Promise.all([findPatterns(db, filter, page), countPatterns(db, filter)]);
  return { patterns: rows.map(presentPattern), totals, pagination: pagination(page, totals.patterns, rows.length) };
}

/** The optional category/severity/source filters of the listing endpoints, over the last `hours`. */
function queryFilter(query: {
  hours: number;
  category?: (typeof errorCategories)[number];
  severity?: (typeof errorSeverities)[number];
  source?: string;
}): PatternFilter {
  return {
    since: hoursAgo(query.hours),
    categories: query.category ? [query.category] : undefined,
    severities: query.severity ? [query.severity] : undefined,
    source: query.source,
  };
}

export const recentErrors: RouteHandler<typeof recentErrorsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const filter = queryFilter(query);
  const page = await patternPage(c.var.sql(), filter, { ...query, order: "last_seen" });
  return c.json(
    { count: page.patterns.length, hours: query.hours, errors: page.patterns, pagination: page.pagination },
    200,
  );
};

export const criticalErrors: RouteHandler<typeof criticalErrorsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const filter = { since: hoursAgo(query.hours), severities: critical };
  const page = await patternPage(c.var.sql(), filter, { ...query, order: "count" });
  return c.json(
    { count: page.patterns.length, hours: query.hours, critical_errors: page.patterns, pagination: page.pagination },
    200,
  );
};

export const fixableErrors: RouteHandler<typeof fixableErrorsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const filter = { since: hoursAgo(query.hours), categories: fixableCategories };
  const page = await patternPage(c.var.sql(), filter, { ...query, order: "severity" });
  return c.json(
    { count: page.patterns.length, hours: query.hours, fixable_errors: page.patterns, pagination: page.pagination },
    200,
  );
};

export const errorPatterns: RouteHandler<typeof errorPatternsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const filter = queryFilter(query);
  const page = await patternPage(c.var.sql(), filter, { ...query, order: "count" });
  return c.json(
    {
      total_patterns: page.totals.patterns,
      total_events: page.totals.events,
      hours: query.hours,
      count: page.patterns.length,
      patterns: page.patterns,
      pagination: page.pagination,
    },
    200,
  );
};

export const dashboard: RouteHandler<typeof dashboardRoute, AppEnv> = async (c) => {
  const { hours } = c.req.valid("query");
  const since = hoursAgo(hours);
  const db = c.var.sql();
  const top = { limit: 10, offset: 0 };
  const [all, criticalCount, fixableCount, byCategory, criticalTop, fixableTop, fixes] = await Promise.all([
    countPatterns(db, { since }),
    countPatterns(db, { since, severities: critical }),
    countPatterns(db, { since, categories: fixableCategories }),
    eventsByCategory(db, since),
    findPatterns(db, { since, severities: critical }, { ...top, order: "count" }),
    findPatterns(db, { since, categories: fixableCategories }, { ...top, order: "severity" }),
    listFixes(db, {}, top),
  ]);
  return c.json(
    {
      timestamp: new Date().toISOString(),
      hours,
      summary: {
        total_patterns: all.patterns,
        total_events: all.events,
        critical_errors: criticalCount.patterns,
        fixable_errors: fixableCount.patterns,
        generated_fixes: fixes.total,
        patterns_by_category: Object.fromEntries(
          Object.entries(byCategory).map(([category, count]) => [category.toLowerCase(), count]),
        ),
      },
      recent_critical: criticalTop.map(presentPattern),
      recent_fixable: fixableTop.map(presentPattern),
      recent_fixes: fixes.rows.map(presentFix),
    },
    200,
  );
};

/** A scan is "running" when the cron has scanned within the interval, with two minutes of grace. */
const graceMs = 120_000;

export const monitorStatus: RouteHandler<typeof monitorStatusRoute, AppEnv> = async (c) => {
  const db = c.var.sql();
  const [state, lastFix, patterns] = await Promise.all([
    readMonitorState(db),
    latestFixAt(db),
    countPatterns(db, { since: hoursAgo(24) }),
  ]);
  // Since the last fix, else since the monitor was started (never an unbounded count).
  const startedAt = state.started_at ? new Date(state.started_at) : hoursAgo(24);
  const errorsSinceLastFix = await countEventsSince(db, lastFix ?? startedAt);
  const lastScan = state.last_scan_at ? new Date(state.last_scan_at).getTime() : null;
  const reference = lastScan ?? (state.started_at ? new Date(state.started_at).getTime() : 0);
  const running = state.enabled && Date.now() - reference <= state.interval_seconds * 1000 + graceMs;
  return c.json(
    {
      status: "ok" as const,
      monitor: {
        enabled: state.enabled,
        running,
        auto_fix_enabled: state.auto_fix,
        scan_interval: state.interval_seconds,
        last_scan: state.last_scan_at,
        last_result: state.last_scan,
        started_at: state.started_at,
        started_by: state.started_by,
        stopped_at: state.stopped_at,
        errors_since_last_fix: errorsSinceLastFix,
        total_patterns: patterns.patterns,
        loki_enabled: lokiEnabled(c.var.config),
        fix_model: c.var.config.ERROR_MONITOR_MODEL ?? null,
      },
    },
    200,
  );
};
