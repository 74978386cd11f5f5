import type { RouteHandler, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type NewAnalyticsEvent, storeEvents } from "../../db/analytics-events";
import type { AppEnv } from "../../env";
import { forwardEvents } from "../../operations/analytics-sinks";
import type { AnalyticsEventSchema, logBatchRoute, logEventRoute, sessionStartRoute } from "./events.routes";

type EventInput = z.infer<typeof AnalyticsEventSchema>;

function eventOf(c: Context<AppEnv>, input: EventInput): NewAnalyticsEvent {
  const auth = c.var.auth;
  const userId = auth.kind === "user" ? auth.user.id : null;
  return {
    userId,
    distinctId: userId !== null ? String(userId) : (input.user_id ?? "anonymous"),
    sessionId: input.session_id ?? null,
    eventName: input.event_name,
    value: input.value === null || input.value === undefined ? null : String(input.value),
    properties: input.metadata ?? {},
    occurredAt: input.timestamp ? new Date(input.timestamp) : new Date(),
  };
}

/** Stores the events (one statement), then forwards them after the response. */
async function logEvents(c: Context<AppEnv>, events: NewAnalyticsEvent[]) {
  const stored = await storeEvents(c.var.sql(), events);
  c.var.defer(forwardEvents(c.var.sql(), c.var.config, stored));
  return stored.map((event) => event.id);
}

export const logEvent: RouteHandler<typeof logEventRoute, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const ids = await logEvents(c, [eventOf(c, input)]);
  return c.json(
    { success: true as const, message: `Event '${input.event_name}' logged successfully`, event_ids: ids },
    200,
  );
};

export const logBatch: RouteHandler<typeof logBatchRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const inputs = Array.isArray(body) ? body : body.events;
  const ids = await logEvents(
    c,
    inputs.map((input) => eventOf(c, input)),
  );
  return c.json({ success: true as const, message: `${ids.length} events logged successfully`, event_ids: ids }, 200);
};

export const logSessionStart: RouteHandler<typeof sessionStartRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json") ?? { platform: "web" as const };
  const ids = await logEvents(c, [
    eventOf(c, {
      event_name: "session_start",
      session_id: body.session_id ?? null,
      metadata: { ...(body.metadata ?? {}), platform: body.platform ?? "web" },
    }),
  ]);
  return c.json({ success: true as const, message: "Session start logged successfully", event_ids: ids }, 200);
};
