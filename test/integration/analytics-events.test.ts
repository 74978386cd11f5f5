// Product analytics: events stored in Postgres, then forwarded to PostHog and Statsig (a local fake
// of each) after the response; a sink that is down fails nothing and loses nothing, and the cron
// sends what it missed.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { runAnalyticsForwarding } from "../../src/cron/analytics-forwarding";
import { execute, registerAccount, uniqueName } from "../support/accounts";
import { call, errorOf, origin, uniqueIp } from "../support/gateway";

const fake = env.TEST_FAKE_SERVICES_URL;
const sinkSettings = {
  POSTHOG_API_KEY: "phc_test_key",
  POSTHOG_HOST: `${fake}/posthog`,
  STATSIG_SERVER_SECRET_KEY: "secret-statsig-test",
  STATSIG_API_URL: `${fake}/statsig/v1`,
};

interface Recorded {
  path: string;
  headers: Record<string, string>;
  body: string;
}

async function received(service: string): Promise<Recorded[]> {
  return (await (await fetch(`${fake}/__requests?service=${service}`)).json()) as Recorded[];
}

async function script(service: string, path: string, status: number, times?: number): Promise<void> {
  await fetch(`${fake}/__script`, {
    method: "POST",
    body: JSON.stringify({ service, method: "POST", path, status, body: { ok: status < 400 }, times }),
  });
}

/** Calls the app with the sinks configured and waits for its background work. */
async function callWithSinks(path: string, json: unknown, key?: string): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json", "cf-connecting-ip": uniqueIp() });
  if (key) headers.set("authorization", `Bearer ${key}`);
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${origin}${path}`, { method: "POST", headers, body: JSON.stringify(json) }),
    { ...env, ...sinkSettings },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const storedEvents = (name: string) =>
  execute(
    sql`select user_id, session_id, properties, forwarded from analytics_events where event_name = ${name} order by id`,
  );

describe("product analytics events", () => {
  it("stores an anonymous event with the client's id (no sinks configured)", async () => {
    const name = uniqueName("evt");
    const response = await call("/v1/analytics/events", {
      method: "POST",
      json: { event_name: name, user_id: "client-42", value: 3, metadata: { model: "openai/gpt-4o" } },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ success: true, message: `Event '${name}' logged successfully` });
    expect(await storedEvents(name)).toEqual([
      {
        user_id: null,
        session_id: null,
        properties: { model: "openai/gpt-4o", distinct_id: "client-42", value: "3" },
        forwarded: {},
      },
    ]);
  });

  it("attributes events to the key's user, refuses a bad key, and validates the batch as a whole", async () => {
    const user = await registerAccount();
    const name = uniqueName("batch");
    const batch = await call("/v1/analytics/batch", {
      method: "POST",
      key: user.apiKey,
      json: [
        { event_name: name, user_id: "ignored-when-authenticated" },
        { event_name: name, session_id: "s-1", metadata: { step: 2 } },
      ],
    });
    expect(batch.status).toBe(200);
    expect(await batch.json()).toMatchObject({ message: "2 events logged successfully" });
    const rows = await storedEvents(name);
    expect(rows.map((row) => [row.user_id, (row.properties as Record<string, unknown>).distinct_id])).toEqual([
      [user.userId, String(user.userId)],
      [user.userId, String(user.userId)],
    ]);

    expect(
      (await call("/v1/analytics/events", { method: "POST", key: "gw_live_nope", json: { event_name: "x" } })).status,
    ).toBe(401);
    const invalid = uniqueName("invalid");
    const refused = await call("/v1/analytics/batch", {
      method: "POST",
      json: { events: [{ event_name: invalid }, { event_name: "" }] },
    });
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).error.param).toBe("events.1.event_name");
    expect(await storedEvents(invalid)).toEqual([]);
  });

  it("forwards to PostHog and Statsig after storing, and records each sink's acceptance", async () => {
    const user = await registerAccount();
    const response = await callWithSinks(
      "/v1/analytics/session/start",
      { platform: "ios", session_id: uniqueName("sess"), metadata: { version: "2.0.4" } },
      user.apiKey,
    );
    expect(response.status).toBe(200);
    const {
      event_ids: [id],
    } = (await response.json()) as { event_ids: number[] };

    const posthog = (await received("posthog")).filter((request) =>
      request.body.includes(`"distinct_id":"${user.userId}"`),
    );
    expect(posthog).toHaveLength(1);
    expect(posthog[0]?.path).toBe("/batch/");
    expect(JSON.parse(posthog[0]?.body ?? "{}")).toMatchObject({
      api_key: "phc_test_key",
      batch: [
        { event: "session_start", distinct_id: String(user.userId), properties: { platform: "ios", version: "2.0.4" } },
      ],
    });
    const statsig = (await received("statsig")).filter((request) => request.body.includes(`"userID":"${user.userId}"`));
    expect(statsig).toHaveLength(1);
    expect(statsig[0]?.path).toBe("/v1/log_event");
    expect(statsig[0]?.headers["statsig-api-key"]).toBe("secret-statsig-test");

    const [row] = await execute(sql`select forwarded from analytics_events where id = ${id}`);
    expect(Object.keys(row?.forwarded as Record<string, string>).sort()).toEqual(["posthog", "statsig"]);
  });

  it("keeps the event when a sink is down, still answers 200, and the cron delivers it later", async () => {
    const name = uniqueName("outage");
    await script("posthog", "/batch/", 503, 1);
    const response = await callWithSinks("/v1/analytics/events", { event_name: name, user_id: "client-outage" });
    expect(response.status).toBe(200);
    const [stored] = await storedEvents(name);
    // Statsig took it; PostHog was down.
    expect(Object.keys(stored?.forwarded as Record<string, string>)).toEqual(["statsig"]);

    const ctx = createExecutionContext();
    await runAnalyticsForwarding({ ...env, ...sinkSettings }, ctx, Date.now());
    await waitOnExecutionContext(ctx);
    const [after] = await storedEvents(name);
    expect(Object.keys(after?.forwarded as Record<string, string>).sort()).toEqual(["posthog", "statsig"]);
    const delivered = (await received("posthog")).filter((request) => request.body.includes(name));
    expect(delivered.length).toBe(2); // refused once, then delivered by the cron
  });
});
