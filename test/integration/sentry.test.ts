import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { eventually } from "../support/eventually";
import { errorOf, origin } from "../support/gateway";

async function fetchWith(path: string, headers: Record<string, string>, overrides: Record<string, string>) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(new Request(`${origin}${path}`, { headers }), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("Sentry", () => {
  it("reports a server-side failure with the request id, and the client sees no internals", async () => {
    const requestId = `sentry-probe-${Date.now()}`;
    // A database that refuses connections makes the key lookup fail inside the gateway.
    const response = await fetchWith(
      "/user/profile",
      { authorization: "Bearer gw_live_sentryprobe000000000000000000000000000000", "x-request-id": requestId },
      { SENTRY_DSN: env.TEST_SENTRY_DSN, DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
    );
    expect(response.status).toBe(503);
    const body = await errorOf(response);
    expect(body.error).toEqual({
      message: "The database is unavailable; try again shortly",
      type: "service_unavailable",
      code: "database_unavailable",
      param: null,
    });
    const envelope = await eventually(async () => {
      const envelopes = (await (await fetch(env.TEST_SENTRY_EVENTS_URL)).json()) as string[];
      const match = envelopes.find((text) => text.includes(requestId));
      expect(match).toBeDefined();
      return match ?? "";
    });
    expect(envelope).toContain('"request_id"');
    expect(envelope).toContain("Failed query");
  });

  it("reports nothing when SENTRY_DSN is not set", async () => {
    const requestId = `sentry-off-${Date.now()}`;
    const response = await fetchWith(
      "/user/profile",
      { authorization: "Bearer gw_live_sentryprobe000000000000000000000000000001", "x-request-id": requestId },
      { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
    );
    expect(response.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const envelopes = (await (await fetch(env.TEST_SENTRY_EVENTS_URL)).json()) as string[];
    expect(envelopes.some((text) => text.includes(requestId))).toBe(false);
  });
});
