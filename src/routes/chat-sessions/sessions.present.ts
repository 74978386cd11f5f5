import type { MessageRow } from "../../db/chat-messages";
import type { SessionRow } from "../../db/chat-sessions";

export const presentSession = (session: SessionRow) => ({
  id: session.id,
  user_id: session.userId,
  title: session.title,
  model: session.model,
  is_active: session.isActive,
  created_at: session.createdAt.toISOString(),
  updated_at: session.updatedAt.toISOString(),
});

export const presentMessage = (message: MessageRow) => ({
  id: message.id,
  session_id: message.sessionId,
  role: message.role,
  content: message.content,
  model: message.model,
  tokens: message.tokens,
  created_at: message.createdAt.toISOString(),
});
