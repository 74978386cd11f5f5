// The admin downtime API (seed 001 L2926-3827): access, list, ongoing, statistics, get and resolve,
// over incidents written directly, each test under an environment or components of its own so that
// incidents other files open never enter its counts.
import { beforeAll, describe, expect, it } from "vitest";
import { makeAdmin, registerAccount, type TestAccount, uniqueName } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { get, type Incident, insertIncident, minutesAgo, post } from "../support/downtime-fixtures";
import { call, errorOf } from "../support/gateway";

let admin: TestAccount;
beforeAll(async () => {
  admin = await registerAccount();
  await makeAdmin(admin.userId);
});

describe("admin downtime API: access", () => {
  it("needs an admin: 401 without a key, 403 for a user, 200 for an admin user and the bootstrap key", async () => {
    expect((await call("/admin/downtime/incidents")).status).toBe(401);
    const user = await registerAccount();
    const refused = await call("/admin/downtime/incidents/ongoing", { key: user.apiKey });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).error.code).toBe("admin_required");
    expect((await get("/admin/downtime/statistics", admin.apiKey)).status).toBe(200);
    expect((await get("/admin/downtime/statistics")).status).toBe(200);
  });
});

describe("admin downtime API: OpenAPI", () => {
  it("documents the eight operations with their error statuses", async () => {
    const document = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const base = "/admin/downtime";
    const expected: [string, string, string[]][] = [
      [`${base}/incidents`, "get", ["200", "400", "401", "403"]],
      [`${base}/incidents/ongoing`, "get", ["200", "401", "403"]],
      [`${base}/statistics`, "get", ["200", "400", "401", "403"]],
      [`${base}/incidents/{incident_id}`, "get", ["200", "401", "403", "404"]],
      [`${base}/incidents/{incident_id}/logs`, "get", ["200", "400", "404"]],
      [`${base}/incidents/{incident_id}/analysis`, "get", ["200", "404"]],
      [`${base}/incidents/{incident_id}/capture-logs`, "post", ["200", "400", "404"]],
      [`${base}/incidents/{incident_id}/resolve`, "post", ["200", "400", "404"]],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      for (const status of statuses) expect(Object.keys(operation?.responses ?? {})).toContain(status);
    }
  });
});

describe("GET /admin/downtime/incidents", () => {
  it("lists newest first with filters, a limit, and counts over every matching incident", async () => {
    const environment = uniqueName("env");
    const a = await insertIncident({ environment, startedAt: minutesAgo(10), severity: "high" });
    const b = await insertIncident({
      environment,
      startedAt: minutesAgo(20),
      status: "resolved",
      severity: "medium",
      durationSeconds: 60,
    });
    const c = await insertIncident({
      environment,
      startedAt: minutesAgo(30),
      status: "resolved",
      severity: "critical",
      durationSeconds: 120,
    });
    const d = await insertIncident({
      environment,
      startedAt: minutesAgo(40),
      status: "investigating",
      severity: "low",
    });
    type List = { status: string; total_incidents: number; ongoing: number; resolved: number; incidents: Incident[] };

    const all = await get<List>(`/admin/downtime/incidents?environment=${environment}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ status: "success", total_incidents: 4, ongoing: 1, resolved: 2 });
    expect(all.body.incidents.map((incident) => incident.id)).toEqual([a, b, c, d]);
    expect(all.body.incidents[1]).toMatchObject({
      status: "resolved",
      duration_seconds: 60,
      logs_captured: [],
      log_count: 0,
    });

    const page = await get<List>(`/admin/downtime/incidents?environment=${environment}&limit=2`);
    expect(page.body.incidents.map((incident) => incident.id)).toEqual([a, b]);
    expect(page.body.total_incidents).toBe(4);
    const resolved = await get<List>(`/admin/downtime/incidents?environment=${environment}&status=resolved`);
    expect(resolved.body).toMatchObject({ total_incidents: 2, ongoing: 0, resolved: 2 });
    expect(resolved.body.incidents.map((incident) => incident.id)).toEqual([b, c]);
    const critical = await get<List>(`/admin/downtime/incidents?environment=${environment}&severity=critical`);
    expect(critical.body.incidents.map((incident) => incident.id)).toEqual([c]);

    for (const query of ["limit=0", "limit=501", "status=down", "severity=urgent"]) {
      expect((await call(`/admin/downtime/incidents?${query}`, { key: TEST_ADMIN_API_KEY })).status).toBe(400);
    }
  });

  it("ongoing: only incidents with status ongoing", async () => {
    const ongoing = await insertIncident({ startedAt: minutesAgo(5) });
    const investigating = await insertIncident({ startedAt: minutesAgo(5), status: "investigating" });
    const { status, body } = await get<{ count: number; incidents: Incident[] }>("/admin/downtime/incidents/ongoing");
    expect(status).toBe(200);
    const ids = body.incidents.map((incident) => incident.id);
    expect(ids).toContain(ongoing);
    expect(ids).not.toContain(investigating);
    expect(body.count).toBe(body.incidents.length);
    expect(body.incidents.every((incident) => incident.status === "ongoing")).toBe(true);
  });
});

describe("GET /admin/downtime/statistics", () => {
  it("counts incidents that started within `days`, sums recorded downtime, and averages over every incident", async () => {
    type Stats = {
      period_days: number;
      statistics: {
        total_incidents: number;
        total_downtime_seconds: number;
        average_duration_seconds: number;
        by_severity: Record<string, number>;
        by_status: Record<string, number>;
      };
    };
    const before = (await get<Stats>("/admin/downtime/statistics?days=200")).body.statistics;
    // 100 days ago: inside a 200-day window, outside a 50-day one (no other test writes there).
    const old = new Date(Date.now() - 100 * 86_400_000);
    await insertIncident({ startedAt: old, status: "resolved", severity: "high", durationSeconds: 100 });
    await insertIncident({ startedAt: old, status: "resolved", severity: "high", durationSeconds: 51 });
    await insertIncident({ startedAt: old, status: "ongoing", severity: "low" });
    const wide = await get<Stats>("/admin/downtime/statistics?days=200");
    const recent = (await get<Stats>("/admin/downtime/statistics?days=50")).body.statistics;
    const after = wide.body.statistics;
    expect(wide.body.period_days).toBe(200);
    expect(after.total_incidents - before.total_incidents).toBe(3);
    expect(after.total_downtime_seconds - before.total_downtime_seconds).toBe(151);
    expect((after.by_severity.high ?? 0) - (before.by_severity.high ?? 0)).toBe(2);
    expect((after.by_severity.low ?? 0) - (before.by_severity.low ?? 0)).toBe(1);
    expect((after.by_status.ongoing ?? 0) - (before.by_status.ongoing ?? 0)).toBe(1);
    expect(after.average_duration_seconds).toBe(Math.floor(after.total_downtime_seconds / after.total_incidents));
    expect(recent.total_incidents).toBeLessThanOrEqual(after.total_incidents - 3);
    expect((await get<Stats>("/admin/downtime/statistics")).body.period_days).toBe(30);
    for (const days of ["0", "366", "x"]) {
      expect((await call(`/admin/downtime/statistics?days=${days}`, { key: TEST_ADMIN_API_KEY })).status).toBe(400);
    }
  });
});

describe("GET /admin/downtime/incidents/{id}", () => {
  it("returns one incident; unknown and malformed ids are 404, an absurdly long one 400", async () => {
    const id = await insertIncident({ startedAt: minutesAgo(3), notes: "n" });
    const found = await get<{ status: string; incident: Incident }>(`/admin/downtime/incidents/${id}`);
    expect(found.status).toBe(200);
    expect(found.body.incident).toMatchObject({ id, status: "ongoing", notes: "n", ended_at: null });
    for (const unknown of [crypto.randomUUID(), "not-a-uuid"]) {
      const response = await call(`/admin/downtime/incidents/${unknown}`, { key: TEST_ADMIN_API_KEY });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).error.message).toBe("Incident not found");
    }
    expect((await call(`/admin/downtime/incidents/${"x".repeat(101)}`, { key: TEST_ADMIN_API_KEY })).status).toBe(400);
  });
});

describe("POST /admin/downtime/incidents/{id}/resolve", () => {
  it("resolves once, naming the admin; a second time is 400, an unknown id 404", async () => {
    const id = await insertIncident({ startedAt: minutesAgo(10) });
    const { status, body } = await post<{ message: string; incident: Incident }>(
      `/admin/downtime/incidents/${id}/resolve?notes=${encodeURIComponent("pool resized")}`,
      admin.apiKey,
    );
    expect(status).toBe(200);
    expect(body.message).toBe("Incident resolved");
    expect(body.incident).toMatchObject({
      id,
      status: "resolved",
      resolved_by: `admin:${admin.email}`,
      notes: "pool resized",
    });
    expect(Math.abs(new Date(String(body.incident.ended_at)).getTime() - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(Number(body.incident.duration_seconds) - 600)).toBeLessThanOrEqual(60);

    const again = await call(`/admin/downtime/incidents/${id}/resolve`, { method: "POST", key: TEST_ADMIN_API_KEY });
    expect(again.status).toBe(400);
    expect((await errorOf(again)).error.message).toBe("Incident is already resolved");
    expect((await post(`/admin/downtime/incidents/${crypto.randomUUID()}/resolve`)).status).toBe(404);
  });

  it("by the bootstrap key is admin:bootstrap, and keeps the notes when none are given", async () => {
    const id = await insertIncident({ startedAt: minutesAgo(2), status: "investigating", notes: "watching" });
    const { status, body } = await post<{ incident: Incident }>(`/admin/downtime/incidents/${id}/resolve`);
    expect(status).toBe(200);
    expect(body.incident).toMatchObject({ status: "resolved", resolved_by: "admin:bootstrap", notes: "watching" });
  });
});
