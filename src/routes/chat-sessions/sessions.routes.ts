import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";
import { ChatMessageSchema, ChatSessionSchema, pageQuery, SessionIdParam } from "./sessions.schemas";

const tags = ["Chat history"];

const SessionListSchema = z
  .object({
    success: z.literal(true),
    data: z.array(ChatSessionSchema),
    count: z.number().int().openapi({ description: "Sessions in this page" }),
    total: z.number().int().openapi({ description: "All matching sessions" }),
    limit: z.number().int(),
    offset: z.number().int(),
    message: z.string(),
  })
  .openapi("ChatSessionList");

const SessionWithMessagesSchema = z
  .object({
    success: z.literal(true),
    data: ChatSessionSchema.extend({
      messages: z.array(ChatMessageSchema),
      total_messages: z.number().int(),
    }),
    message: z.string(),
  })
  .openapi("ChatSessionWithMessages");

const messagePage = z.object({
  message_limit: z.coerce.number().int().min(1).max(5000).default(1000),
  message_offset: z.coerce.number().int().min(0).default(0),
});

export const listSessionsRoute = createRoute({
  method: "get",
  path: "/v1/chat/sessions",
  tags,
  summary: "Your chat sessions, most recently updated first",
  security: userKeySecurity,
  request: { query: z.object(pageQuery(20, 100)) },
  responses: {
    200: jsonContent(SessionListSchema, "A page of sessions"),
    ...errorResponses(400, 401, 402, 403, 500, 503),
  },
});

export const createSessionRoute = createRoute({
  method: "post",
  path: "/v1/chat/sessions",
  tags,
  summary: "Start a chat session",
  description: 'Title defaults to "Chat YYYY-MM-DD HH:MM" (UTC), model to openai/gpt-3.5-turbo (seed).',
  security: userKeySecurity,
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({
              title: z.string().trim().min(1).max(200).optional(),
              model: z.string().min(1).max(200).optional(),
            })
            .openapi("NewChatSession"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(
      z
        .object({ success: z.literal(true), data: ChatSessionSchema, message: z.string() })
        .openapi("ChatSessionCreated"),
      "The new session",
    ),
    ...errorResponses(400, 401, 402, 403, 500, 503),
  },
});

export const getSessionRoute = createRoute({
  method: "get",
  path: "/v1/chat/sessions/{session_id}",
  tags,
  summary: "One of your sessions with its messages, oldest first",
  description: "Another user's or a deleted session is 404. Messages page with message_limit/message_offset.",
  security: userKeySecurity,
  request: { params: SessionIdParam, query: messagePage },
  responses: {
    200: jsonContent(SessionWithMessagesSchema, "The session"),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});

export const updateSessionRoute = createRoute({
  method: "put",
  path: "/v1/chat/sessions/{session_id}",
  tags,
  summary: "Rename a session or change its model",
  security: userKeySecurity,
  request: {
    params: SessionIdParam,
    query: messagePage,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              title: z.string().trim().min(1).max(200).optional(),
              model: z.string().min(1).max(200).optional(),
            })
            .refine((body) => body.title !== undefined || body.model !== undefined, "give title or model")
            .openapi("ChatSessionUpdate"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(SessionWithMessagesSchema, "The session after the change"),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});

export const deleteSessionRoute = createRoute({
  method: "delete",
  path: "/v1/chat/sessions/{session_id}",
  tags,
  summary: "Delete a session (soft: it disappears from every list; its messages are kept)",
  security: userKeySecurity,
  request: { params: SessionIdParam },
  responses: {
    200: jsonContent(
      z.object({ success: z.literal(true), message: z.string() }).openapi("ChatSessionDeleted"),
      "Deleted",
    ),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});

export const searchSessionsRoute = createRoute({
  method: "post",
  path: "/v1/chat/search",
  tags,
  summary: "Search your sessions by title and message content",
  security: userKeySecurity,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({ query: z.string().trim().min(1).max(500), ...pageQuery(20, 100) })
            .openapi("ChatSearchRequest"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(SessionListSchema, "Matching sessions, most recently updated first"),
    ...errorResponses(400, 401, 402, 403, 500, 503),
  },
});

export const chatStatsRoute = createRoute({
  method: "get",
  path: "/v1/chat/stats",
  tags,
  summary: "Your sessions, messages and message tokens",
  security: userKeySecurity,
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.literal(true),
          stats: z.object({
            total_sessions: z.number().int(),
            total_messages: z.number().int(),
            total_tokens: z.number().int(),
          }),
          message: z.string(),
        })
        .openapi("ChatStats"),
      "Totals over your active sessions",
    ),
    ...errorResponses(401, 402, 403, 500, 503),
  },
});
