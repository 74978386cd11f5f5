// A chat completion with `session_id` (query or body) appends the exchange to that chat session
// after the response, as the seed's background task does. The session is checked before any
// provider is called: another user's or a deleted session is 404 and nothing is billed.
import type { Context } from "hono";
import { saveMessage } from "../../db/chat-messages";
import { findSession } from "../../db/chat-sessions";
import type { AppEnv } from "../../env";
import type { Answer } from "../../gateway/context";
import { badRequest, notFound } from "../../lib/errors";
import type { ChatRequest } from "../../providers/openai-types";

function sessionIdOf(c: Context<AppEnv>, body: ChatRequest): number | undefined {
  const raw = c.req.query("session_id") ?? body.session_id;
  if (raw === undefined || raw === null || raw === "") return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw badRequest("session_id must be a positive integer", "invalid_request", "session_id");
  }
  return id;
}

/** The text of the last user message (text parts of a multi-part message, joined). */
function lastUserText(body: ChatRequest): string {
  const message = [...body.messages].reverse().find((candidate) => candidate.role === "user");
  const content = message?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .filter((text) => text.length > 0)
    .join("\n");
}

/** Undefined without a session_id; else the callback that appends the exchange once answered. */
export async function sessionAppender(
  c: Context<AppEnv>,
  body: ChatRequest,
): Promise<((answer: Answer) => Promise<void>) | undefined> {
  const sessionId = sessionIdOf(c, body);
  if (sessionId === undefined) return undefined;
  const auth = c.var.auth;
  if (auth.kind !== "user") throw badRequest("session_id needs an API key", "invalid_request", "session_id");
  const userId = auth.user.id;
  if (!(await findSession(c.var.db(), userId, sessionId))) throw notFound("Session not found", "session_not_found");
  const question = lastUserText(body);
  return async (answer) => {
    const db = c.var.db();
    if (question) {
      await saveMessage(db, userId, sessionId, {
        role: "user",
        content: question,
        model: answer.model,
        tokens: answer.promptTokens,
      });
    }
    if (answer.content) {
      await saveMessage(db, userId, sessionId, {
        role: "assistant",
        content: answer.content,
        model: answer.model,
        tokens: answer.completionTokens,
      });
    }
  };
}
