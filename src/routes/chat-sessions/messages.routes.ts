import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";
import { ChatMessageSchema, NewMessageSchema, SessionIdParam } from "./sessions.schemas";

const tags = ["Chat history"];

export const saveMessageRoute = createRoute({
  method: "post",
  path: "/v1/chat/sessions/{session_id}/messages",
  tags,
  summary: "Save a message to one of your sessions",
  description:
    "The same role and content saved to the session within the last 5 minutes is not saved again: the existing " +
    "message is returned with `duplicate: true` (seed).",
  security: userKeySecurity,
  request: {
    params: SessionIdParam,
    body: { required: true, content: { "application/json": { schema: NewMessageSchema } } },
  },
  responses: {
    200: jsonContent(
      z
        .object({ success: z.literal(true), duplicate: z.boolean(), data: ChatMessageSchema, message: z.string() })
        .openapi("ChatMessageSaved"),
      "Saved (or the duplicate found)",
    ),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});

export const saveMessagesBatchRoute = createRoute({
  method: "post",
  path: "/v1/chat/sessions/{session_id}/messages/batch",
  tags,
  summary: "Save up to 100 messages; each succeeds or fails on its own",
  description:
    "`success` is true only when every message was saved; failures carry the reason and the first 50 characters.",
  security: userKeySecurity,
  request: {
    params: SessionIdParam,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ messages: z.array(z.looseObject({})).min(1).max(100) }).openapi("ChatMessageBatch"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(
      z
        .object({
          success: z.boolean(),
          data: z.object({
            saved: z.array(
              z.object({
                success: z.literal(true),
                message_id: z.number().int(),
                duplicate: z.boolean(),
                data: ChatMessageSchema,
              }),
            ),
            failed: z.array(
              z.object({
                success: z.literal(false),
                index: z.number().int(),
                error: z.string(),
                content_preview: z.string(),
              }),
            ),
            total: z.number().int(),
            success_count: z.number().int(),
            failure_count: z.number().int(),
          }),
          message: z.string(),
        })
        .openapi("ChatMessageBatchResult"),
      "Per-message results",
    ),
    ...errorResponses(400, 401, 402, 403, 404, 500, 503),
  },
});
