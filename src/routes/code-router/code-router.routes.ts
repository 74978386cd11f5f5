import { createRoute, z } from "@hono/zod-openapi";
import { routerTierTables } from "../../db/schema";
import { adminSecurity, errorResponses, jsonContent } from "../common.schemas";
import {
  RouterStatsSchema,
  RouteTestRequestSchema,
  RouteTestResponseSchema,
  SettingsOptionsSchema,
  SettingsValidateRequestSchema,
  SettingsValidateResponseSchema,
  TierListSchema,
  TierPatchSchema,
  TierSchema,
  tags,
} from "./code-router.schemas";

export const settingsOptionsRoute = createRoute({
  method: "get",
  path: "/code-router/settings/options",
  tags,
  summary: "The code router's settings (for a settings UI) and its optimisation modes",
  responses: { 200: jsonContent(SettingsOptionsSchema, "Options"), ...errorResponses(500) },
});

export const listTiersRoute = createRoute({
  method: "get",
  path: "/code-router/tiers",
  tags,
  summary: "The routers' tiers (1 premium … 4 budget) with their ordered candidate models and catalog prices",
  request: { query: z.object({ router: z.enum(routerTierTables).optional() }) },
  responses: { 200: jsonContent(TierListSchema, "Tiers"), ...errorResponses(400, 500, 503) },
});

export const updateTierRoute = createRoute({
  method: "put",
  path: "/code-router/tiers/{id}",
  tags,
  summary: "Edit a tier: its candidate models (in order), whether it is active, its name or description",
  description:
    "Takes effect at once in the isolate that served the edit and within a minute everywhere (tiers are cached per isolate).",
  security: adminSecurity,
  request: {
    params: z.object({
      id: z.coerce
        .number()
        .int()
        .positive()
        .openapi({ param: { name: "id", in: "path" } }),
    }),
    body: { required: true, content: { "application/json": { schema: TierPatchSchema } } },
  },
  responses: { 200: jsonContent(TierSchema, "The edited tier"), ...errorResponses(400, 401, 403, 404, 500, 503) },
});

export const routerStatsRoute = createRoute({
  method: "get",
  path: "/code-router/stats",
  tags,
  summary: "Routing decisions over the last `hours`: requests per router and served model, by classification",
  description:
    "Admin only (unlike the seed's, these numbers come from every user's request log). Counts, costs and latencies are SQL aggregates over chat_completion_requests rows whose requested model is a router id, joined to router_decisions.",
  security: adminSecurity,
  request: { query: z.object({ hours: z.coerce.number().int().min(1).max(720).default(24) }) },
  responses: { 200: jsonContent(RouterStatsSchema, "Stats"), ...errorResponses(400, 401, 403, 500, 503) },
});

export const routeTestRoute = createRoute({
  method: "post",
  path: "/code-router/test",
  tags,
  summary: "Classify a prompt and show the model a router would choose, without calling it",
  request: { body: { required: true, content: { "application/json": { schema: RouteTestRequestSchema } } } },
  responses: { 200: jsonContent(RouteTestResponseSchema, "The decision"), ...errorResponses(400, 500, 503) },
});

export const validateSettingsRoute = createRoute({
  method: "post",
  path: "/code-router/settings/validate",
  tags,
  summary: "Check code-router settings and give the model string a client should send",
  description:
    "Always 200 for a well-formed body (valid false with the reasons otherwise), as in the seed; a body of the wrong types is a 400.",
  request: {
    body: { required: true, content: { "application/json": { schema: SettingsValidateRequestSchema } } },
  },
  responses: { 200: jsonContent(SettingsValidateResponseSchema, "The verdict"), ...errorResponses(400, 500) },
});
