import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { API_VERSION } from "../../src/lib/version";
import { requireAdmin, requireApiKey } from "../../src/middleware/auth";
import { registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
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

/** The event payload of the envelope that mentions `needle` (an envelope is lines of JSON). */
async function sentryEventWith(needle: string): Promise<{ raw: string; event: Record<string, unknown> }> {
  return eventually(async () => {
    const envelopes = (await (await fetch(env.TEST_SENTRY_EVENTS_URL)).json()) as string[];
    const raw = envelopes.find((text) => text.includes(needle));
    expect(raw).toBeDefined();
    const items = (raw ?? "").split("\n").filter((line) => line.trim().startsWith("{"));
    const event = items.map((line) => JSON.parse(line) as Record<string, unknown>).find((item) => "exception" in item);
    expect(event).toBeDefined();
    return { raw: raw ?? "", event: event ?? {} };
  });
}

async function sentryEnvelopesWith(needle: string): Promise<number> {
  const envelopes = (await (await fetch(env.TEST_SENTRY_EVENTS_URL)).json()) as string[];
  return envelopes.filter((text) => text.includes(needle)).length;
}

/** The real app plus a route that fails unexpectedly, behind a user key (so the event has a user). */
async function failingProbe(path: string, key: string, requestId: string, overrides: Record<string, string>) {
  const app = createApp();
  const fail = () => {
    throw new Error(`probe failure ${requestId} while holding ${key}`);
  };
  app.post("/probe/sentry/:id", requireApiKey({ scope: "account" }), fail);
  app.post("/admin/probe-sentry", requireAdmin, fail);
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${origin}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "x-request-id": requestId, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: `private prompt ${requestId}` }] }),
    }),
    { ...env, SENTRY_DSN: env.TEST_SENTRY_DSN, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("Sentry events", () => {
  it("carry the request id, route pattern, user id, release and environment, and no key, header or prompt", async () => {
    const account = await registerAccount();
    const requestId = `sentry-tags-${crypto.randomUUID()}`;
    const response = await failingProbe(
      "/probe/sentry/7?api_key=gw_live_querykey0000000000",
      account.apiKey,
      requestId,
      {
        RELEASE: `release-${requestId}`,
      },
    );
    expect(response.status).toBe(500);
    const { raw, event } = await sentryEventWith(requestId);
    expect(event.tags).toMatchObject({ request_id: requestId, route: "/probe/sentry/:id", auth: "user" });
    expect(event.user).toEqual({ id: String(account.userId) });
    expect(event.release).toBe(`release-${requestId}`);
    expect(event.environment).toBe("test");
    expect(raw).not.toContain(account.apiKey);
    expect(raw).not.toContain("querykey");
    expect(raw).not.toMatch(/authorization/i);
    expect(raw).not.toContain("private prompt");
    expect(raw).toContain("while holding [redacted]");
  });

  it("falls back to the API version as the release", async () => {
    const account = await registerAccount();
    const requestId = `sentry-release-${crypto.randomUUID()}`;
    await failingProbe("/probe/sentry/1", account.apiKey, requestId, {});
    const { event } = await sentryEventWith(requestId);
    expect(event.release).toBe(API_VERSION);
  });

  it("samples: nothing at rate 0, and admin paths follow SENTRY_ADMIN_SAMPLE_RATE", async () => {
    const account = await registerAccount();
    const off = `sentry-sampled-off-${crypto.randomUUID()}`;
    await failingProbe("/probe/sentry/2", account.apiKey, off, { SENTRY_SAMPLE_RATE: "0" });
    const adminOff = `sentry-admin-off-${crypto.randomUUID()}`;
    await failingProbe("/admin/probe-sentry", TEST_ADMIN_API_KEY, adminOff, {
      SENTRY_SAMPLE_RATE: "1",
      SENTRY_ADMIN_SAMPLE_RATE: "0",
    });
    const adminOn = `sentry-admin-on-${crypto.randomUUID()}`;
    await failingProbe("/admin/probe-sentry", TEST_ADMIN_API_KEY, adminOn, {
      SENTRY_SAMPLE_RATE: "0",
      SENTRY_ADMIN_SAMPLE_RATE: "1",
    });
    const { raw, event } = await sentryEventWith(adminOn);
    expect(event.tags).toMatchObject({ route: "/admin/probe-sentry", auth: "admin_key" });
    expect(event.user).toBeUndefined();
    expect(raw).not.toContain(TEST_ADMIN_API_KEY);
    expect(await sentryEnvelopesWith(off)).toBe(0);
    expect(await sentryEnvelopesWith(adminOff)).toBe(0);
  });
});
