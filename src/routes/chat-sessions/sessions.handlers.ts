import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { messagesOf } from "../../db/chat-messages";
import {
  updateSession as changeSession,
  chatStats,
  searchSessions as findMatchingSessions,
  findSession,
  createSession as insertSession,
  listSessions as readSessions,
  type SessionRow,
  deleteSession as softDeleteSession,
} from "../../db/chat-sessions";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { currentUser } from "../../middleware/auth";
import { presentMessage, presentSession } from "./sessions.present";
import type {
  chatStatsRoute,
  createSessionRoute,
  deleteSessionRoute,
  getSessionRoute,
  listSessionsRoute,
  searchSessionsRoute,
  updateSessionRoute,
} from "./sessions.routes";

const DEFAULT_MODEL = "openai/gpt-3.5-turbo";
export const sessionNotFound = () => notFound("Session not found", "session_not_found");

async function withMessages(c: Context<AppEnv>, session: SessionRow, page: { limit: number; offset: number }) {
  const { messages, total } = await messagesOf(c.var.db(), session.id, page);
  return { ...presentSession(session), messages: messages.map(presentMessage), total_messages: total };
}

export const listSessions: RouteHandler<typeof listSessionsRoute, AppEnv> = async (c) => {
  const page = c.req.valid("query");
  const { sessions, total } = await readSessions(c.var.db(), currentUser(c).user.id, page);
  return c.json(
    {
      success: true as const,
      data: sessions.map(presentSession),
      count: sessions.length,
      total,
      ...page,
      message: `Found ${sessions.length} sessions`,
    },
    200,
  );
};

export const createSession: RouteHandler<typeof createSessionRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json") ?? {};
  const title = body.title ?? `Chat ${new Date().toISOString().slice(0, 16).replace("T", " ")}`;
  const session = await insertSession(c.var.db(), currentUser(c).user.id, title, body.model ?? DEFAULT_MODEL);
  return c.json(
    { success: true as const, data: presentSession(session), message: "Session created successfully" },
    200,
  );
};

export const getSession: RouteHandler<typeof getSessionRoute, AppEnv> = async (c) => {
  const { session_id: sessionId } = c.req.valid("param");
  const { message_limit: limit, message_offset: offset } = c.req.valid("query");
  const session = await findSession(c.var.db(), currentUser(c).user.id, sessionId);
  if (!session) throw sessionNotFound();
  return c.json(
    {
      success: true as const,
      data: await withMessages(c, session, { limit, offset }),
      message: "Session retrieved successfully",
    },
    200,
  );
};

export const updateSession: RouteHandler<typeof updateSessionRoute, AppEnv> = async (c) => {
  const { session_id: sessionId } = c.req.valid("param");
  const { message_limit: limit, message_offset: offset } = c.req.valid("query");
  const session = await changeSession(c.var.db(), currentUser(c).user.id, sessionId, c.req.valid("json"));
  if (!session) throw sessionNotFound();
  return c.json(
    {
      success: true as const,
      data: await withMessages(c, session, { limit, offset }),
      message: "Session updated successfully",
    },
    200,
  );
};

export const deleteSession: RouteHandler<typeof deleteSessionRoute, AppEnv> = async (c) => {
  const { session_id: sessionId } = c.req.valid("param");
  if (!(await softDeleteSession(c.var.db(), currentUser(c).user.id, sessionId))) throw sessionNotFound();
  return c.json({ success: true as const, message: "Session deleted successfully" }, 200);
};

export const searchSessions: RouteHandler<typeof searchSessionsRoute, AppEnv> = async (c) => {
  const { query, limit, offset } = c.req.valid("json");
  const { sessions, total } = await findMatchingSessions(c.var.db(), currentUser(c).user.id, query, {
    limit,
    offset,
  });
  return c.json(
    {
      success: true as const,
      data: sessions.map(presentSession),
      count: sessions.length,
      total,
      limit,
      offset,
      message: `Found ${sessions.length} sessions matching '${query}'`,
    },
    200,
  );
};

export const getChatStats: RouteHandler<typeof chatStatsRoute, AppEnv> = async (c) => {
  const stats = await chatStats(c.var.db(), currentUser(c).user.id);
  return c.json(
    {
      success: true as const,
      stats: {
        total_sessions: stats.totalSessions,
        total_messages: stats.totalMessages,
        total_tokens: stats.totalTokens,
      },
      message: "Chat statistics retrieved successfully",
    },
    200,
  );
};
