import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";

const tags = ["Product analytics"];

export const AnalyticsEventSchema = z
  .object({
    event_name: z.string().trim().min(1).max(200).openapi({ example: "chat_message_sent" }),
    user_id: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .openapi({ description: "The client's own id for an anonymous caller; ignored when a key is sent" }),
    value: z
      .union([z.string().max(1000), z.number()])
      .nullable()
      .optional(),
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    session_id: z.string().trim().min(1).max(200).nullable().optional(),
    timestamp: z.iso.datetime({ offset: true }).optional().openapi({ description: "When it happened (default now)" }),
  })
  .openapi("AnalyticsEvent");

const LoggedSchema = z
  .object({ success: z.literal(true), message: z.string(), event_ids: z.array(z.number().int()) })
  .openapi("AnalyticsEventsLogged");

const optionalKey = [...userKeySecurity, {}];
const described =
  "Optional key: with one, the events are the key's user's. Events are stored first, then forwarded in the " +
  "background to PostHog (POSTHOG_API_KEY) and Statsig (STATSIG_SERVER_SECRET_KEY) when configured; a sink that " +
  "is down never fails the request, and the every-minute cron retries what it has not accepted.";

export const logEventRoute = createRoute({
  method: "post",
  path: "/v1/analytics/events",
  tags,
  summary: "Log one product-analytics event",
  description: described,
  security: optionalKey,
  request: { body: { required: true, content: { "application/json": { schema: AnalyticsEventSchema } } } },
  responses: {
    200: jsonContent(LoggedSchema, "Stored"),
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

export const logBatchRoute = createRoute({
  method: "post",
  path: "/v1/analytics/batch",
  tags,
  summary: "Log up to 100 events at once (all stored, or none when one is invalid)",
  description: `${described} The body is a JSON array of events (as the seed), or {"events": [...]}.`,
  security: optionalKey,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.union([
            z.array(AnalyticsEventSchema).min(1).max(100),
            z.object({ events: z.array(AnalyticsEventSchema).min(1).max(100) }),
          ]),
        },
      },
    },
  },
  responses: {
    200: jsonContent(LoggedSchema, "Stored"),
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

export const sessionStartRoute = createRoute({
  method: "post",
  path: "/v1/analytics/session/start",
  tags,
  summary: "Log a session start (DAU/WAU/MAU)",
  description: described,
  security: optionalKey,
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({
              platform: z.enum(["web", "ios", "android", "desktop", "api"]).default("web"),
              session_id: z.string().trim().min(1).max(200).optional(),
              metadata: z.record(z.string(), z.unknown()).optional(),
            })
            .openapi("AnalyticsSessionStart"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(LoggedSchema, "Stored"),
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});
