import type { RouteHandler } from "@hono/zod-openapi";
import { saveMessage as insertMessage } from "../../db/chat-messages";
import type { AppEnv } from "../../env";
import { currentUser } from "../../middleware/auth";
import type { saveMessageRoute, saveMessagesBatchRoute } from "./messages.routes";
import { sessionNotFound } from "./sessions.handlers";
import { presentMessage } from "./sessions.present";
import { NewMessageSchema } from "./sessions.schemas";

export const saveMessage: RouteHandler<typeof saveMessageRoute, AppEnv> = async (c) => {
  const { session_id: sessionId } = c.req.valid("param");
  const body = c.req.valid("json");
  const outcome = await insertMessage(c.var.db(), currentUser(c).user.id, sessionId, {
    role: body.role,
    content: body.content,
    model: body.model ?? null,
    tokens: body.tokens,
  });
  if (outcome.kind === "no_session") throw sessionNotFound();
  const duplicate = outcome.kind === "duplicate";
  return c.json(
    {
      success: true as const,
      duplicate,
      data: presentMessage(outcome.message),
      message: duplicate
        ? "Duplicate message (saved within the last 5 minutes): the existing message is returned"
        : "Message saved successfully",
    },
    200,
  );
};

type Saved = { success: true; message_id: number; duplicate: boolean; data: ReturnType<typeof presentMessage> };
type Failed = { success: false; index: number; error: string; content_preview: string };

export const saveMessagesBatch: RouteHandler<typeof saveMessagesBatchRoute, AppEnv> = async (c) => {
  const { session_id: sessionId } = c.req.valid("param");
  const { messages } = c.req.valid("json");
  const userId = currentUser(c).user.id;
  const db = c.var.db();
  const saved: Saved[] = [];
  const failed: Failed[] = [];
  // In order, one at a time: the seed saves sequentially and later duplicates see earlier ones.
  for (const [index, raw] of messages.entries()) {
    const preview = typeof raw.content === "string" ? raw.content.slice(0, 50) : "";
    const parsed = NewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const field = issue?.path.map(String).join(".") || "message";
      failed.push({
        success: false,
        index,
        error: `${field}: ${issue?.message ?? "invalid"}`,
        content_preview: preview,
      });
      continue;
    }
    const message = parsed.data;
    const outcome = await insertMessage(db, userId, sessionId, {
      role: message.role,
      content: message.content,
      model: message.model ?? null,
      tokens: message.tokens,
    });
    // The session is checked with the first message: a missing one fails the whole request as 404.
    if (outcome.kind === "no_session") throw sessionNotFound();
    saved.push({
      success: true,
      message_id: outcome.message.id,
      duplicate: outcome.kind === "duplicate",
      data: presentMessage(outcome.message),
    });
  }
  const total = messages.length;
  return c.json(
    {
      success: failed.length === 0,
      data: { saved, failed, total, success_count: saved.length, failure_count: failed.length },
      message: `Saved ${saved.length}/${total} messages successfully`,
    },
    200,
  );
};
