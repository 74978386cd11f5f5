import { z } from "@hono/zod-openapi";
import { chatMessageRoles } from "../../db/schema";

export const ChatSessionSchema = z
  .object({
    id: z.number().int(),
    user_id: z.number().int(),
    title: z.string(),
    model: z.string().nullable(),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ChatSession");

export const ChatMessageSchema = z
  .object({
    id: z.number().int(),
    session_id: z.number().int(),
    role: z.enum(chatMessageRoles),
    content: z.string(),
    model: z.string().nullable(),
    tokens: z.number().int(),
    created_at: z.string(),
  })
  .openapi("ChatMessage");

export const SessionIdParam = z.object({
  session_id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "session_id", in: "path" } }),
});

export const NewMessageSchema = z
  .object({
    role: z.enum(chatMessageRoles),
    content: z.string().min(1).max(200_000),
    model: z.string().min(1).max(200).nullable().optional(),
    tokens: z.number().int().min(0).max(10_000_000).default(0),
    created_at: z.string().optional().openapi({ description: "Ignored: the server's time is recorded (seed)" }),
  })
  .openapi("NewChatMessage");

export const pageQuery = (defaultLimit: number, maxLimit: number) => ({
  limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
  offset: z.coerce.number().int().min(0).default(0),
});
