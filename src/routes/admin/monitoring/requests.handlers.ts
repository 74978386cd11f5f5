import type { RouteHandler } from "@hono/zod-openapi";
import { countRequests, findKeyByHash, findRequests, plotPoints } from "../../../db/request-analytics-requests";
import { summarizeRequests } from "../../../db/request-analytics-summary";
import type { AppEnv } from "../../../env";
import { sha256Hex } from "../../../lib/crypto";
import { notFound } from "../../../lib/errors";
import {
  filterOf,
  filtersEcho,
  listMetadata,
  offsetPagination,
  presentRequest,
  presentSummary,
} from "./monitoring.present";
import type {
  chatRequestPlotRoute,
  chatRequestSummaryRoute,
  chatRequestsByApiKeyRoute,
  listChatRequestsRoute,
} from "./requests.routes";

/** The seed's recent list on the plot endpoint is always the newest 10. */
const RECENT_COUNT = 10;

export const listChatRequests: RouteHandler<typeof listChatRequestsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const filter = filterOf(query);
  const { rows, total } = await findRequests(c.var.db(), filter, { limit: query.limit, offset: query.offset });
  return c.json(
    {
      success: true as const,
      data: rows.map(presentRequest),
      metadata: {
        total_count: total,
        returned_count: rows.length,
        ...listMetadata(query, total),
      },
    },
    200,
  );
};

export const chatRequestSummary: RouteHandler<typeof chatRequestSummaryRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const summary = await summarizeRequests(c.var.db(), filterOf(query));
  return c.json(
    {
      summary: presentSummary(summary),
      filters: filtersEcho(query),
      timestamp: new Date().toISOString(),
      cached: false,
    },
    200,
  );
};

export const chatRequestPlot: RouteHandler<typeof chatRequestPlotRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const filter = filterOf(query);
  const db = c.var.db();
  const [recent, points, total] = await Promise.all([
    findRequests(db, filter, { limit: RECENT_COUNT, offset: 0 }),
    plotPoints(db, filter, { limit: query.limit, offset: query.offset }),
    countRequests(db, filter),
  ]);
  return c.json(
    {
      success: true as const,
      recent_requests: recent.rows.map(presentRequest),
      plot_data: {
        tokens: points.map((point) => point.tokens),
        latency: points.map((point) => point.latencyMs),
        timestamps: points.map((point) => point.createdAt),
      },
      metadata: {
        recent_count: recent.rows.length,
        total_count: total,
        plot_count: points.length,
        ...listMetadata(query, total),
        compression: "arrays" as const,
        format_version: "1.0" as const,
      },
    },
    200,
  );
};

export const chatRequestsByApiKey: RouteHandler<typeof chatRequestsByApiKeyRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const db = c.var.db();
  // Keys are stored hashed: the given key is hashed and looked up, never compared in the clear.
  const key = await findKeyByHash(db, await sha256Hex(query.api_key));
  if (!key) throw notFound("API key not found", "api_key_not_found");
  const filter = { apiKeyId: key.id };
  const [{ rows, total }, summary] = await Promise.all([
    findRequests(db, filter, { limit: query.limit, offset: query.offset }),
    query.include_summary === "true" ? summarizeRequests(db, filter) : Promise.resolve(undefined),
  ]);
  return c.json(
    {
      requests: rows.map(presentRequest),
      total_count: total,
      api_key_info: {
        id: key.id,
        key_name: key.name,
        key_prefix: key.keyPrefix,
        user_id: key.userId,
        environment_tag: key.environmentTag,
        is_active: key.isActive,
        created_at: key.createdAt,
      },
      limit: query.limit,
      offset: query.offset,
      pagination: offsetPagination(query.limit, query.offset, total),
      timestamp: new Date().toISOString(),
      ...(summary ? { summary: presentSummary(summary) } : {}),
    },
    200,
  );
};
