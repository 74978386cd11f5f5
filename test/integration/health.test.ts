import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { call, errorOf, origin } from "../support/gateway";

/** The real app with some bindings changed: how a misconfigured or degraded deployment behaves. */
async function callWithBindings(path: string, overrides: Record<string, string>): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(new Request(`${origin}${path}`), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("GET /health", () => {
  it("answers without touching any dependency", async () => {
    // Dependencies pointed at closed ports: liveness must not care.
    const response = await callWithBindings("/health", {
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; version: string };
    expect(body.status).toBe("ok");
    expect(body.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("GET /ready", () => {
  it("is ready when Postgres and Redis answer", async () => {
    const response = await call("/ready");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe("ready");
    expect(body.checks.postgres?.ok).toBe(true);
    expect(body.checks.redis?.ok).toBe(true);
    expect((body as { settlement_backlog?: { pending: number } }).settlement_backlog?.pending).toBeTypeOf("number");
  });

  it("answers 503 naming Postgres when it is unreachable", async () => {
    const response = await callWithBindings("/ready", { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
    expect(response.status).toBe(503);
    const body = (await errorOf(response)) as Awaited<ReturnType<typeof errorOf>> & {
      checks: Record<string, { ok: boolean; error?: string }>;
    };
    expect(body.error.code).toBe("dependency_unavailable");
    expect(body.error.message).toBe("Not ready: postgres unreachable");
    expect(body.checks.postgres?.ok).toBe(false);
    expect(body.checks.redis?.ok).toBe(true);
  });

  it("answers 503 naming Redis when Upstash is unreachable", async () => {
    const response = await callWithBindings("/ready", { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1" });
    expect(response.status).toBe(503);
    const body = await errorOf(response);
    expect(body.error.message).toBe("Not ready: redis unreachable");
  });
});

describe("configuration", () => {
  it("names the malformed variable", async () => {
    const response = await callWithBindings("/user/profile", { AUTH_CACHE_TTL_SECONDS: "soon" });
    expect(response.status).toBe(500);
    const body = await errorOf(response);
    expect(body.error.code).toBe("invalid_configuration");
    expect(body.error.message).toContain("AUTH_CACHE_TTL_SECONDS");
  });

  it("refuses an ADMIN_API_KEY shorter than 10 characters", async () => {
    const response = await callWithBindings("/health", { ADMIN_API_KEY: "short" });
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("ADMIN_API_KEY: must be at least 10 characters");
  });

  it("names DATABASE_URL when a route needs it and it is missing", async () => {
    const response = await callWithBindings("/user/profile", { DATABASE_URL: "" });
    // Without a key the request fails auth before any query; with one it needs the database.
    expect(response.status).toBe(401);
    const ctx = createExecutionContext();
    const withKey = await createApp().fetch(
      new Request(`${origin}/user/profile`, {
        headers: { authorization: "Bearer gw_live_doesnotexist0000000000000000" },
      }),
      { ...env, DATABASE_URL: "" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(withKey.status).toBe(500);
    expect((await errorOf(withKey)).error.message).toContain("DATABASE_URL: required but not set");
  });
});
