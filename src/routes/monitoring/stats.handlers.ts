import type { RouteHandler } from "@hono/zod-openapi";
import { type CostLine, costBreakdown } from "../../db/monitoring-costs";
import { outcomesByProvider, outcomesPerInterval } from "../../db/monitoring-windows";
import { summarizeRequests } from "../../db/request-analytics-summary";
import type { AppEnv } from "../../env";
import { gatedProviders, providerGateName, readGateStats } from "../../gateway/concurrency";
import { badRequest } from "../../lib/errors";
import { parseUsd, usdNumber, usdNumberOf } from "../../lib/money";
import { detectAnomalies } from "../../operations/provider-anomalies";
import { presentSummary } from "../admin/monitoring/monitoring.present";
import { presentOutcome, presentSignal } from "./monitoring.schemas";
import {
  ANOMALY_METHOD,
  type anomaliesRoute,
  type costAnalysisRoute,
  type errorRatesRoute,
  type realtimeRoute,
} from "./stats.routes";

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);

export const realtime: RouteHandler<typeof realtimeRoute, AppEnv> = async (c) => {
  const { window_minutes: windowMinutes } = c.req.valid("query");
  const since = new Date(Date.now() - windowMinutes * 60_000);
  const db = c.var.db();
  const [summary, perMinute, providers, gates] = await Promise.all([
    summarizeRequests(db, { from: since }),
    outcomesPerInterval(db, { from: since }, "minute"),
    outcomesByProvider(db, { from: since }),
    Promise.all(
      gatedProviders(c.env).map(async ({ providerId, limit }) => {
        try {
          const stats = await readGateStats(c.env, providerGateName(providerId));
          return { provider: providerId, active: stats.active, queued: stats.queued, limit };
        } catch (error) {
          console.error(JSON.stringify({ msg: "gate stats unavailable", gate: providerId, error: String(error) }));
          return { provider: providerId, active: null, queued: null, limit, error: "The gate could not be read" };
        }
      }),
    ),
  ]);
  const seconds = windowMinutes * 60;
  return c.json(
    {
      window_minutes: windowMinutes,
      since: since.toISOString(),
      timestamp: new Date().toISOString(),
      totals: {
        ...presentSummary(summary),
        requests_per_minute: Math.round((summary.totalRequests / windowMinutes) * 100) / 100,
        tokens_per_second: Math.round(((summary.totalInputTokens + summary.totalOutputTokens) / seconds) * 100) / 100,
      },
      per_minute: perMinute.map((row) => ({
        minute: row.start,
        requests: row.requests,
        failed: row.failed,
        server_errors: row.serverErrors,
        tokens: row.tokens,
        cost_usd: usdNumberOf(row.costUsd),
      })),
      providers: providers.map((row) => ({ provider: row.provider, ...presentOutcome(row) })),
      concurrency: {
        gates,
        note: "Only providers with <PROVIDER>_MAX_CONCURRENCY set are gated; in-flight requests of other providers are not tracked.",
      },
    },
    200,
  );
};

export const errorRates: RouteHandler<typeof errorRatesRoute, AppEnv> = async (c) => {
  const { hours, provider } = c.req.valid("query");
  const since = new Date(Date.now() - hours * 3_600_000);
  const range = { from: since, ...(provider === undefined ? {} : { provider }) };
  const db = c.var.db();
  const [byProvider, byModel, hourly] = await Promise.all([
    outcomesByProvider(db, range),
    outcomesByProvider(db, range, "model"),
    outcomesPerInterval(db, range, "hour"),
  ]);
  const sum = (pick: (row: (typeof byProvider)[number]) => number) =>
    byProvider.reduce((total, row) => total + pick(row), 0);
  const requests = sum((row) => row.requests);
  const serverErrors = sum((row) => row.serverErrors);
  const cost = byProvider.reduce((total, row) => total + parseUsd(row.costUsd), 0n);
  return c.json(
    {
      window_hours: hours,
      since: since.toISOString(),
      timestamp: new Date().toISOString(),
      overall: {
        requests,
        completed: sum((row) => row.completed),
        failed: sum((row) => row.failed),
        server_errors: serverErrors,
        client_errors: sum((row) => row.clientErrors),
        rate_limited: sum((row) => row.rateLimited),
        timeouts: sum((row) => row.timeouts),
        error_rate: requests > 0 ? ratio(serverErrors, requests) : null,
        cost_usd: usdNumber(cost),
      },
      by_provider: byProvider.map((row) => ({ provider: row.provider, ...presentOutcome(row) })),
      by_model: byModel.map((row) => ({ provider: row.provider, model: row.model ?? "", ...presentOutcome(row) })),
      hourly: hourly.map((row) => ({
        hour: row.start,
        requests: row.requests,
        failed: row.failed,
        server_errors: row.serverErrors,
        error_rate: ratio(row.serverErrors, row.requests),
      })),
    },
    200,
  );
};

function presentCost(line: CostLine) {
  return {
    requests: line.requests,
    input_tokens: line.promptTokens,
    output_tokens: line.completionTokens,
    cost_usd: usdNumberOf(line.costUsd),
  };
}

export const costAnalysis: RouteHandler<typeof costAnalysisRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const end = query.end_date ?? new Date();
  const start = query.start_date ?? new Date(end.getTime() - query.days * 86_400_000);
  if (start > end) throw badRequest("start_date must not be after end_date", "invalid_date_range", "start_date");
  const breakdown = await costBreakdown(
    c.var.db(),
    { from: start, to: end, ...(query.provider === undefined ? {} : { provider: query.provider }) },
    query.limit,
  );
  const totalNanos = parseUsd(breakdown.total.costUsd);
  const { total } = breakdown;
  const tokens = total.promptTokens + total.completionTokens;
  return c.json(
    {
      period: { start: start.toISOString(), end: end.toISOString() },
      timestamp: new Date().toISOString(),
      total: {
        ...presentCost(total),
        unpriced_requests: total.unpricedRequests,
        avg_cost_per_request_usd: total.requests > 0 ? usdNumber(totalNanos / BigInt(total.requests)) : 0,
        cost_per_1k_tokens_usd: tokens > 0 ? usdNumber((totalNanos * 1000n) / BigInt(tokens)) : 0,
      },
      by_provider: breakdown.byProvider.map((line) => ({
        provider: line.provider,
        ...presentCost(line),
        // Basis points from exact nano-dollars, then percent with two decimals.
        share_percent: totalNanos > 0n ? Number((parseUsd(line.costUsd) * 10_000n) / totalNanos) / 100 : 0,
      })),
      by_model: breakdown.byModel.map((line) => ({
        provider: line.provider,
        model: line.model ?? "",
        ...presentCost(line),
      })),
      models_total: breakdown.modelCount,
      daily: breakdown.daily.map((line) => ({ date: line.date, ...presentCost(line) })),
    },
    200,
  );
};

export const anomalies: RouteHandler<typeof anomaliesRoute, AppEnv> = async (c) => {
  const { recent_minutes: recentMinutes, baseline_hours: baselineHours } = c.req.valid("query");
  const now = Date.now();
  const result = await detectAnomalies(c.var.db(), { recentMinutes, baselineHours, now });
  const flagged = result.providers.flatMap((entry) =>
    [entry.errorRate, entry.responseTime]
      .filter((verdict) => verdict.verdict === "anomalous")
      .map((verdict) => ({ provider: entry.provider, signal: verdict.signal, ...presentSignal(verdict) })),
  );
  const severityRank = { critical: 0, warning: 1 } as const;
  flagged.sort((a, b) => severityRank[a.severity ?? "warning"] - severityRank[b.severity ?? "warning"]);
  return c.json(
    {
      recent_window: { from: result.recentFrom.toISOString(), to: new Date(now).toISOString() },
      baseline_window: { from: result.baselineFrom.toISOString(), to: result.recentFrom.toISOString() },
      timestamp: new Date().toISOString(),
      anomalies: flagged,
      providers: result.providers.map((entry) => ({
        provider: entry.provider,
        error_rate: presentSignal(entry.errorRate),
        response_time: presentSignal(entry.responseTime),
      })),
      method: ANOMALY_METHOD,
    },
    200,
  );
};
