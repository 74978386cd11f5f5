// The admin downtime API's log endpoints: filtered logs, the analysis, and capturing the window's
// error events and Loki lines (against the scriptable fake query_range).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { execute, uniqueName } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { entry, get, type Incident, insertIncident, minutesAgo, post } from "../support/downtime-fixtures";
import { call, errorOf, origin } from "../support/gateway";

describe("GET /admin/downtime/incidents/{id}/logs", () => {
  it("filters by level, logger and a case-insensitive search, all combined", async () => {
    const id = await insertIncident({
      startedAt: minutesAgo(3),
      logs: [
        entry("ERROR", "upstream", "Provider timeout after 30s", "TIMEOUT_ERROR"),
        entry("ERROR", "http", "Connection refused to database", "DATABASE_ERROR"),
        entry("WARNING", "upstream", "slow provider"),
        entry("INFO", "http", "request served"),
        entry("ERROR", "upstream", "provider TIMEOUT again"),
      ],
    });
    type Logs = { total_logs: number; total_captured: number; filters: unknown; logs: { message: string }[] };
    const messages = async (query: string) => {
      const { status, body } = await get<Logs>(`/admin/downtime/incidents/${id}/logs?${query}`);
      expect(status).toBe(200);
      expect(body.total_captured).toBe(5);
      expect(body.total_logs).toBe(body.logs.length);
      return body.logs.map((log) => log.message);
    };
    expect(await messages("")).toHaveLength(5);
    expect(await messages("level=ERROR")).toEqual([
      "Provider timeout after 30s",
      "Connection refused to database",
      "provider TIMEOUT again",
    ]);
    expect(await messages("level=ERROR&logger_name=upstream")).toEqual([
      "Provider timeout after 30s",
      "provider TIMEOUT again",
    ]);
    expect(await messages("search=timeout")).toEqual(["Provider timeout after 30s", "provider TIMEOUT again"]);
    expect(await messages("level=ERROR&search=DATABASE")).toEqual(["Connection refused to database"]);
    const filtered = await get<Logs>(`/admin/downtime/incidents/${id}/logs?level=WARNING&logger_name=upstream`);
    expect(filtered.body.filters).toEqual({ level: "WARNING", logger: "upstream", search: null });
    expect((await call(`/admin/downtime/incidents/${id}/logs?level=FATAL`, { key: TEST_ADMIN_API_KEY })).status).toBe(
      400,
    );

    const empty = await insertIncident({ startedAt: minutesAgo(3) });
    expect((await get(`/admin/downtime/incidents/${empty}/logs`)).body).toEqual({
      status: "success",
      message: "No logs captured for this incident",
      total_logs: 0,
      logs: [],
    });
    expect((await get(`/admin/downtime/incidents/${crypto.randomUUID()}/logs`)).status).toBe(404);
  });
});

describe("GET /admin/downtime/incidents/{id}/analysis", () => {
  it("counts errors and warnings, error types (Unknown when absent) and the 10 commonest error messages", async () => {
    const long = "x".repeat(300);
    const logs = [
      ...Array.from({ length: 3 }, () => entry("ERROR", "http", "Connection refused to database", "DATABASE_ERROR")),
      ...Array.from({ length: 2 }, () => entry("ERROR", "upstream", "Provider timeout after 30s", "TIMEOUT_ERROR")),
      ...Array.from({ length: 2 }, () => entry("ERROR", "upstream", long)),
      ...Array.from({ length: 10 }, (_, n) => entry("ERROR", "upstream", `error ${n}`, "PROVIDER_ERROR")),
      entry("WARNING", "upstream", "slow"),
      entry("WARNING", "upstream", "slower"),
      entry("INFO", "http", "ok"),
    ];
    const id = await insertIncident({ startedAt: minutesAgo(3), logs });
    const { status, body } = await get<{ incident_id: string; analysis: Record<string, unknown> }>(
      `/admin/downtime/incidents/${id}/analysis`,
    );
    expect(status).toBe(200);
    expect(body.incident_id).toBe(id);
    expect(body.analysis).toEqual({
      total_logs: 20,
      error_count: 17,
      warning_count: 2,
      error_types: { DATABASE_ERROR: 3, TIMEOUT_ERROR: 2, Unknown: 2, PROVIDER_ERROR: 10 },
      top_errors: [
        ["Connection refused to database", 3],
        ["Provider timeout after 30s", 2],
        ["x".repeat(200), 2],
        ...Array.from({ length: 7 }, (_, n) => [`error ${n}`, 1]),
      ],
    });
    const empty = await insertIncident({ startedAt: minutesAgo(3) });
    expect((await get(`/admin/downtime/incidents/${empty}/analysis`)).body).toEqual({
      status: "success",
      message: "No logs to analyze",
      analysis: null,
    });
    expect((await get(`/admin/downtime/incidents/${crypto.randomUUID()}/analysis`)).status).toBe(404);
  });
});

async function captureWith(id: string, overrides: Record<string, string>) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${origin}/admin/downtime/incidents/${id}/capture-logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_API_KEY}`, "cf-connecting-ip": "192.0.2.77" },
    }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return {
    status: response.status,
    body: (await response.json()) as { message: string; result: Record<string, unknown> },
  };
}

describe("POST /admin/downtime/incidents/{id}/capture-logs", () => {
  it("captures error events and Loki's lines of the window for an ongoing incident; a Loki failure keeps what was stored", async () => {
    const startedAt = minutesAgo(1);
    const id = await insertIncident({ startedAt });
    const marker = uniqueName("capture");
    await execute(sql`
      insert into error_events (fingerprint, category, severity, source, message, created_at)
      values ('fp', 'PROVIDER_ERROR', 'medium', 'upstream', ${marker}, ${minutesAgo(2).toISOString()}::timestamptz)`);
    const service = uniqueName("loki");
    const lokiAnswer = (status: number, body: unknown) =>
      fetch(`${env.TEST_FAKE_SERVICES_URL}/__script`, {
        method: "POST",
        body: JSON.stringify({ service, path: "/loki/api/v1/query_range", status, body }),
      });
    const ns = (date: Date) => `${BigInt(date.getTime()) * 1_000_000n}`;
    await lokiAnswer(200, {
      status: "success",
      data: {
        resultType: "streams",
        result: [
          {
            stream: { app: "edge-llm-gateway", level: "warn" },
            values: [
              [ns(minutesAgo(0.5)), `plain warning ${marker}`],
              [ns(minutesAgo(0.4)), JSON.stringify({ level: "error", msg: `json error ${marker}`, logger: "cron" })],
            ],
          },
        ],
      },
    });
    const loki = { LOKI_URL: `${env.TEST_FAKE_SERVICES_URL}/${service}` };

    const captured = await captureWith(id, loki);
    expect(captured.status).toBe(200);
    expect(captured.body.message).toBe("Log capture triggered");
    expect(captured.body.result).toMatchObject({ success: true, truncated: false, storage: "database" });
    expect(captured.body.result.sources).toMatchObject({ loki: 2 });
    const { body } = await get<{ incident: Incident }>(`/admin/downtime/incidents/${id}`);
    expect(body.incident.log_count).toBe(captured.body.result.log_count);
    const mine = body.incident.logs_captured.filter((log) => log.message.includes(marker));
    expect(mine.map((log) => [log.labels.source, log.level, log.message])).toEqual([
      ["error_events", "ERROR", marker],
      ["loki", "WARNING", `plain warning ${marker}`],
      ["loki", "ERROR", `json error ${marker}`],
    ]);
    const [sent] = (await (await fetch(`${env.TEST_FAKE_SERVICES_URL}/__requests?service=${service}`)).json()) as {
      query: Record<string, string>;
    }[];
    expect(sent?.query).toMatchObject({ start: ns(new Date(startedAt.getTime() - 5 * 60_000)), direction: "forward" });

    await lokiAnswer(500, { message: "loki down" });
    const failed = await captureWith(id, loki);
    expect(failed.status).toBe(200);
    expect(failed.body.result).toMatchObject({ success: false, log_count: 0 });
    expect(String(failed.body.result.error)).toContain("HTTP 500");
    const kept = await get<{ incident: Incident }>(`/admin/downtime/incidents/${id}`);
    expect(kept.body.incident.log_count).toBe(body.incident.log_count);
  });

  it("refuses incidents that are not ongoing (400) and unknown ones (404)", async () => {
    const resolved = await insertIncident({ startedAt: minutesAgo(5), status: "resolved", durationSeconds: 10 });
    const refused = await call(`/admin/downtime/incidents/${resolved}/capture-logs`, {
      method: "POST",
      key: TEST_ADMIN_API_KEY,
    });
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).error.message).toBe("Can only capture logs for ongoing incidents");
    expect((await post(`/admin/downtime/incidents/${crypto.randomUUID()}/capture-logs`)).status).toBe(404);
  });
});
