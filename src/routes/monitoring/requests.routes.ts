// The request-log listings of the monitoring API: the admin request-analytics routes under
// /api/monitoring (seed 003 L69-71), same queries, filters, handlers and response shapes.
import { createRoute } from "@hono/zod-openapi";
import { modelsWithRequestsRoute, requestCountsRoute } from "../admin/monitoring/breakdown.routes";
import { listChatRequestsRoute } from "../admin/monitoring/requests.routes";
import { tags } from "./monitoring.schemas";

const sameAs = (path: string) => `Admin. The same as ${path} (same filters and response).`;

export const chatRequestsRoute = createRoute({
  ...listChatRequestsRoute,
  path: "/api/monitoring/chat-requests",
  tags,
  description: `${sameAs(listChatRequestsRoute.path)} ${listChatRequestsRoute.description ?? ""}`,
});

export const chatRequestCountsRoute = createRoute({
  ...requestCountsRoute,
  path: "/api/monitoring/chat-requests/counts",
  tags,
  description: `${sameAs(requestCountsRoute.path)} ${requestCountsRoute.description ?? ""}`,
});

export const chatRequestModelsRoute = createRoute({
  ...modelsWithRequestsRoute,
  path: "/api/monitoring/chat-requests/models",
  tags,
  description: sameAs(modelsWithRequestsRoute.path),
});
