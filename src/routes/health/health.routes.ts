import { createRoute, z } from "@hono/zod-openapi";

const CheckSchema = z.object({
  ok: z.boolean(),
  latency_ms: z.number().int().nonnegative(),
  error: z.string().optional(),
});

export const HealthSchema = z
  .object({ status: z.literal("ok"), version: z.string(), timestamp: z.string() })
  .openapi("Health");

const BacklogSchema = z
  .object({
    pending: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Settlements kept in the outbox while Postgres was down" }),
    oldest_age_ms: z.number().int().nullable(),
    dead_letters: z.number().int().nullable().openapi({ description: "Settlements Postgres rejected repeatedly" }),
    error: z.string().optional(),
  })
  .openapi("SettlementBacklog");

export const ReadySchema = z
  .object({
    status: z.enum(["ready", "unavailable"]),
    checks: z.object({ postgres: CheckSchema, redis: CheckSchema }),
    settlement_backlog: BacklogSchema,
  })
  .openapi("Readiness");

const NotReadySchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      code: z.string().nullable(),
      param: z.string().nullable(),
    }),
    status: z.literal("unavailable"),
    checks: z.object({ postgres: CheckSchema, redis: CheckSchema }),
    settlement_backlog: BacklogSchema,
  })
  .openapi("NotReady");

export const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Health"],
  summary: "Liveness: the Worker answers (no I/O)",
  responses: { 200: { description: "Alive", content: { "application/json": { schema: HealthSchema } } } },
});

export const readyRoute = createRoute({
  method: "get",
  path: "/ready",
  tags: ["Health"],
  summary: "Readiness: Postgres and Redis are reachable",
  responses: {
    200: { description: "Every dependency answered", content: { "application/json": { schema: ReadySchema } } },
    503: {
      description: "A dependency is unreachable; the message names it",
      content: { "application/json": { schema: NotReadySchema } },
    },
  },
});
