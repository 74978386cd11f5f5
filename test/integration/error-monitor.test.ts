// The error monitor API: admin only; patterns grouped by fingerprint in SQL; start/stop and the cron
// scan; the scan's Loki ingestion (against the fake query_range) and its auto-fix.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { runErrorMonitorScan } from "../../src/cron/error-monitor-scan";
import { reportCronFailure } from "../../src/operations/error-events";
import { execute, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, origin } from "../support/gateway";

interface Pattern {
  error_id: string;
  message: string;
  count: number;
  category: string;
  severity: string;
  source: string;
  examples: string[];
  first_seen: string;
  last_seen: string;
  fixable: boolean;
  suggested_fix: string | null;
}

interface Pagination {
  total: number;
  limit: number;
  offset: number;
  returned: number;
  has_more: boolean;
}

interface MonitorStatus {
  enabled: boolean;
  running: boolean;
  scan_interval: number;
  last_scan: string | null;
  last_result: { trigger: string; hours: number } | null;
  started_at: string | null;
  started_by: string | null;
}

/** The fields these tests read, across the error monitor's responses. */
interface Body {
  error: { code: string };
  patterns: Pattern[];
  errors: Pattern[];
  critical_errors: Pattern[];
  fixable_errors: Pattern[];
  total_patterns: number;
  count: number;
  pagination: Pagination;
  summary: { total_patterns: number; critical_errors: number; patterns_by_category: Record<string, number> };
  recent_critical: Pattern[];
  recent_fixable: Pattern[];
  recent_fixes: unknown[];
  monitor: MonitorStatus;
  status: string;
  already_running: boolean;
  was_running: boolean;
  interval_seconds: number;
  hours: number;
  errors_found: number;
  loki: { enabled: boolean; fetched: number; ingested: number; error: string | null };
  auto_fixes_started: number;
  auto_fix_targets: string[];
  total_fixes: number;
  fixes: { error_pattern_id: string; model: string }[];
}

interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

function uniqueWord(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => String.fromCharCode(97 + (byte % 26))).join(
    "",
  );
}

async function admin(path: string, method = "GET"): Promise<{ status: number; body: Body }> {
  const response = await call(path, { method, key: TEST_ADMIN_API_KEY });
  return { status: response.status, body: (await response.json()) as Body };
}

/** The real app with extra settings; waits for its background work (waitUntil) before returning. */
async function adminWith(path: string, method: string, overrides: Record<string, string>) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${origin}${path}`, { method, headers: { authorization: `Bearer ${TEST_ADMIN_API_KEY}` } }),
    { ...env, ...overrides },
    ctx,
  );
  const body = (await response.json()) as Body;
  await waitOnExecutionContext(ctx);
  return { status: response.status, body };
}

/** The dev stub's model with the dev seed's prices ($1 / $2 per million tokens), so its calls cost something. */
async function priceStubModel(): Promise<void> {
  await execute(sql`insert into providers (slug, name) values ('stub', 'Local stub') on conflict (slug) do nothing`);
  await execute(sql`
    insert into models (provider_id, provider_model_id, model_name, price_prompt, price_completion)
    select id, 'stub-model', 'Local stub model', 0.000001, 0.000002 from providers where slug = 'stub'
    on conflict (provider_id, provider_model_id) do nothing`);
}

const mentioning = (rows: Pattern[], word: string) => rows.filter((row) => String(row.message).includes(word));

describe("error monitor: access", () => {
  it("requires an admin (401 without a key, 403 for a user's key)", async () => {
    expect((await call("/error-monitor/errors/recent")).status).toBe(401);
    const account = await registerAccount();
    const asUser = await call("/error-monitor/dashboard", { key: account.apiKey });
    expect(asUser.status).toBe(403);
    expect((await call("/error-monitor/monitor/start", { method: "POST", key: account.apiKey })).status).toBe(403);
    expect((await admin("/error-monitor/errors/recent")).status).toBe(200);
  });
});

describe("error monitor: patterns", () => {
  it("groups occurrences by fingerprint with count, first/last seen and samples, and filters them", async () => {
    const word = uniqueWord();
    for (const [seconds, name] of [
      [30, "alpha"],
      [45, "beta"],
      [7, "gamma"],
    ] as const) {
      await reportCronFailure(
        env,
        "*/5 * * * *",
        new Error(`${word}: connection pool exhausted after ${seconds} s on '${name}'`),
      );
    }
    await reportCronFailure(env, "*/5 * * * *", new Error(`${word}: invalid payload shape`));

    const { body } = await admin("/error-monitor/errors/patterns?source=cron&limit=1000");
    const mine = mentioning(body.patterns, word);
    expect(mine).toHaveLength(2);
    const pool = mine.find((pattern) => pattern.count === 3);
    expect(pool).toMatchObject({
      category: "database_error",
      severity: "critical",
      source: "cron",
      fixable: true,
      suggested_fix: "Increase connection pool size or add fallback",
    });
    expect(pool?.examples).toHaveLength(3);
    expect(Date.parse(pool?.first_seen ?? "")).toBeLessThanOrEqual(Date.parse(pool?.last_seen ?? ""));
    expect(mine.find((pattern) => pattern.count === 1)).toMatchObject({
      category: "validation_error",
      severity: "low",
      fixable: false,
      suggested_fix: null,
    });
    expect(body.total_patterns).toBeGreaterThanOrEqual(2);
    expect(body.pagination).toMatchObject({ limit: 1000, offset: 0, total: body.total_patterns });

    const byCategory = await admin("/error-monitor/errors/patterns?category=validation_error&limit=1000");
    expect(mentioning(byCategory.body.patterns, word).map((pattern) => pattern.count)).toEqual([1]);
    const critical = await admin("/error-monitor/errors/critical?limit=1000");
    expect(mentioning(critical.body.critical_errors, word).map((pattern) => pattern.error_id)).toEqual([
      pool?.error_id,
    ]);
    const fixable = await admin("/error-monitor/errors/fixable?limit=1000");
    expect(mentioning(fixable.body.fixable_errors, word)).toHaveLength(1);
    const recent = await admin("/error-monitor/errors/recent?source=cron&limit=1000");
    expect(mentioning(recent.body.errors, word)).toHaveLength(2);

    const page = await admin("/error-monitor/errors/recent?limit=1");
    expect(page.body.count).toBe(1);
    expect(page.body.pagination).toMatchObject({ returned: 1, has_more: true });
    expect(page.body.pagination.total).toBeGreaterThanOrEqual(2);
    expect((await admin("/error-monitor/errors/recent?hours=25")).status).toBe(400);
    expect((await admin("/error-monitor/errors/patterns?category=nonsense")).status).toBe(400);
  });

  it("summarises the window on the dashboard", async () => {
    const word = uniqueWord();
    await reportCronFailure(env, "0 0 * * *", new Error(`${word} database connection refused`));
    const { status, body } = await admin("/error-monitor/dashboard");
    expect(status).toBe(200);
    expect(body.summary.total_patterns).toBeGreaterThanOrEqual(1);
    expect(body.summary.critical_errors).toBeGreaterThanOrEqual(1);
    expect(body.summary.patterns_by_category.database_error).toBeGreaterThanOrEqual(1);
    expect(body.recent_critical.length).toBeLessThanOrEqual(10);
    expect(body.recent_fixable.length).toBeLessThanOrEqual(10);
    expect(Array.isArray(body.recent_fixes)).toBe(true);
  });
});

describe("error monitor: start, stop and the scheduled scan", () => {
  it("scans on the cron only while started; start twice is idempotent", async () => {
    await admin("/error-monitor/monitor/stop", "POST");
    const before = (await admin("/error-monitor/autonomous/status")).body.monitor;
    expect(before.enabled).toBe(false);
    await runErrorMonitorScan(env, createExecutionContext(), Date.now() + 3_600_000);
    expect((await admin("/error-monitor/autonomous/status")).body.monitor.last_scan).toBe(before.last_scan);

    const first = await admin("/error-monitor/monitor/start?interval=60", "POST");
    expect(first.body).toMatchObject({ status: "started", already_running: false, interval_seconds: 60 });
    const second = await admin("/error-monitor/monitor/start?interval=120", "POST");
    expect(second.body).toMatchObject({ status: "started", already_running: true, interval_seconds: 120 });
    expect(second.body.monitor.started_at).toBe(first.body.monitor.started_at);
    expect(second.body.monitor.started_by).toBe("admin:bootstrap");

    await runErrorMonitorScan(env, createExecutionContext(), Date.now() + 3_600_000);
    const scanned = (await admin("/error-monitor/autonomous/status")).body.monitor;
    expect(scanned).toMatchObject({ enabled: true, running: true, scan_interval: 120 });
    expect(scanned.last_result).toMatchObject({ trigger: "cron", hours: 1 });
    // Not due again until the interval has passed.
    await runErrorMonitorScan(env, createExecutionContext(), Date.now());
    expect((await admin("/error-monitor/autonomous/status")).body.monitor.last_scan).toBe(scanned.last_scan);

    const stopped = await admin("/error-monitor/monitor/stop", "POST");
    expect(stopped.body).toMatchObject({ status: "stopped", was_running: true });
    expect((await admin("/error-monitor/monitor/stop", "POST")).body.was_running).toBe(false);
    expect((await admin("/error-monitor/autonomous/status")).body.monitor).toMatchObject({
      enabled: false,
      running: false,
    });
  });

  it("refuses auto_fix without ERROR_MONITOR_MODEL (503) and rejects a bad interval (400)", async () => {
    const start = await admin("/error-monitor/monitor/start?auto_fix=true", "POST");
    expect(start.status).toBe(503);
    expect(start.body.error.code).toBe("error_monitor_model_not_configured");
    const scan = await admin("/error-monitor/monitor/scan?auto_fix=true", "POST");
    expect(scan.status).toBe(503);
    expect((await admin("/error-monitor/monitor/start?interval=30", "POST")).status).toBe(400);
  });
});

describe("error monitor: scan", () => {
  async function script(path: string, status: number, body: unknown) {
    await fetch(`${env.TEST_FAKE_SERVICES_URL}/__script`, {
      method: "POST",
      body: JSON.stringify({ service: "loki", method: "GET", path, status, body }),
    });
  }

  it("ingests new Loki error lines once (scrubbed, classified, quiet levels skipped)", async () => {
    const word = uniqueWord();
    const prefix = `/${word}`;
    const ns = (offsetMs: number) => `${BigInt(Date.now() - offsetMs) * 1_000_000n}`;
    await script(`${prefix}/loki/api/v1/query_range`, 200, {
      status: "success",
      data: {
        resultType: "streams",
        result: [
          {
            stream: { app: "edge-llm-gateway", level: "error" },
            values: [
              [
                ns(3000),
                JSON.stringify({
                  level: "error",
                  msg: `${word} redis connection reset for gw_live_abcdefghijklmnopqrstuvwx`,
                }),
              ],
              [ns(2000), `ERROR ${word} stripe webhook failed`],
            ],
          },
          {
            stream: { app: "edge-llm-gateway" },
            values: [[ns(1000), JSON.stringify({ level: "info", msg: `${word} error rate normal` })]],
          },
        ],
      },
    });
    const settings = {
      LOKI_URL: `${env.TEST_FAKE_SERVICES_URL}/loki${prefix}`,
      LOKI_USERNAME: "424242",
      LOKI_API_KEY: "glc_loki_secret_value",
    };
    const first = await adminWith("/error-monitor/monitor/scan?hours=2", "POST", settings);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: "scanned",
      hours: 2,
      loki: { enabled: true, fetched: 3, ingested: 2, error: null },
    });
    const events = await execute(
      sql`select * from error_events where source = 'loki' and message like ${`%${word}%`} order by created_at`,
    );
    expect(events.map((event) => [event.category, event.severity])).toEqual([
      ["CACHE_ERROR", "medium"],
      ["EXTERNAL_SERVICE_ERROR", "high"],
    ]);
    expect(JSON.stringify(events)).not.toContain("abcdefghijklmnopqrstuvwx");
    expect(events[0]).toMatchObject({ route: "loki:edge-llm-gateway" });

    const second = await adminWith("/error-monitor/monitor/scan?hours=2", "POST", settings);
    expect(second.body.loki).toMatchObject({ fetched: 3, ingested: 0 });

    const requests = (await (
      await fetch(`${env.TEST_FAKE_SERVICES_URL}/__requests?service=loki`)
    ).json()) as RecordedRequest[];
    const mine = requests.filter((request) => String(request.path).startsWith(prefix));
    expect(mine).toHaveLength(2);
    expect(mine[0]?.query).toMatchObject({
      query: `{app="edge-llm-gateway"} |~ "(?i)(error|exception|fatal|panic)"`,
      direction: "backward",
      limit: "500",
    });
    expect(mine[0]?.headers.authorization).toBe(`Basic ${btoa("424242:glc_loki_secret_value")}`);
  });

  it("still scans when Loki fails, and records that failure", async () => {
    const word = uniqueWord();
    await script(`/${word}/loki/api/v1/query_range`, 500, { message: "ingester unavailable" });
    const { status, body } = await adminWith("/error-monitor/monitor/scan", "POST", {
      LOKI_URL: `${env.TEST_FAKE_SERVICES_URL}/loki/${word}`,
    });
    expect(status).toBe(200);
    expect(body.loki.error).toContain("HTTP 500");
    expect(body.errors_found).toBeGreaterThanOrEqual(1);
    const [event] = await execute(
      sql`select * from error_events where source = 'monitor' and message like '%ingester unavailable%' order by id desc limit 1`,
    );
    expect(event).toMatchObject({ category: "EXTERNAL_SERVICE_ERROR", route: "loki query_range" });
  });

  it("starts fix suggestions for fixable patterns with auto_fix, through the stub model", async () => {
    await priceStubModel();
    const word = uniqueWord();
    await reportCronFailure(env, "*/10 * * * *", new Error(`${word} upstream rate limit exceeded`));
    const { status, body } = await adminWith("/error-monitor/monitor/scan?auto_fix=true", "POST", {
      ERROR_MONITOR_MODEL: "stub/stub-model",
    });
    expect(status).toBe(200);
    expect(body.auto_fixes_started).toBeGreaterThanOrEqual(1);
    expect(body.auto_fixes_started).toBeLessThanOrEqual(3);
    expect(body.auto_fix_targets).toHaveLength(body.auto_fixes_started);
    // The background generation finished with the request's waitUntil.
    for (const target of body.auto_fix_targets) {
      const fixes = await admin(`/error-monitor/fixes/generated?error_id=${target}`);
      expect(fixes.body.total_fixes).toBeGreaterThanOrEqual(1);
      expect(fixes.body.fixes[0]).toMatchObject({ error_pattern_id: target, model: "stub/stub-model" });
    }
  });
});
