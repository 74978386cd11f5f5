// Messages of a chat session: saved with the seed's 5-minute duplicate suppression, each with its
// message_sent activity row, the session's updated_at (and model) moved forward in the same statement.
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { chatMessageRoles } from "./schema";

export type ChatRole = (typeof chatMessageRoles)[number];

export interface MessageRow {
  id: number;
  sessionId: number;
  role: ChatRole;
  content: string;
  model: string | null;
  tokens: number;
  createdAt: Date;
}

export function messageOf(row: Record<string, unknown>): MessageRow {
  return {
    id: Number(row.id),
    sessionId: Number(row.session_id),
    // The table's check constraint admits only these roles.
    role: chatMessageRoles.find((role) => role === row.role) ?? "user",
    content: String(row.content),
    model: row.model === null ? null : String(row.model),
    tokens: Number(row.tokens),
    createdAt: new Date(String(row.created_at)),
  };
}

export interface NewMessage {
  role: ChatRole;
  content: string;
  model: string | null;
  tokens: number;
}

export type SaveOutcome = { kind: "saved" | "duplicate"; message: MessageRow } | { kind: "no_session" };

/**
 * Saves one message unless the same role and content were saved to the session in the last five
 * minutes (then that row is returned). The session row is locked first, in its own statement, so the
 * duplicate check of a concurrent identical save runs after the first one committed and finds it.
 */
export async function saveMessage(
  db: Database,
  userId: number,
  sessionId: number,
  message: NewMessage,
): Promise<SaveOutcome> {
  return db.transaction(async (tx) => {
    const owned = await tx.execute(
      sql`select id from chat_sessions where id = ${sessionId} and user_id = ${userId} and is_active for update`,
    );
    if (owned.rows.length === 0) return { kind: "no_session" as const };
    const result = await tx.execute<Record<string, unknown>>(sql`
      with existing as (
        select m.id, m.session_id, m.role, m.content, m.model, m.tokens, m.created_at from chat_messages m
        where m.session_id = ${sessionId} and m.role = ${message.role} and m.content = ${message.content}
          and m.created_at >= now() - interval '5 minutes'
        order by m.created_at desc limit 1
      ),
      inserted as (
        insert into chat_messages (session_id, role, content, model, tokens)
        select ${sessionId}, ${message.role}, ${message.content}, ${message.model}, ${message.tokens}
        where not exists (select 1 from existing)
        returning id, session_id, role, content, model, tokens, created_at
      ),
      touched as (
        update chat_sessions set updated_at = now(), model = coalesce(${message.model}, model)
        where id in (select session_id from inserted)
      ),
      audit as (
        insert into activity (user_id, action, details)
        select ${userId}, 'message_sent',
               jsonb_build_object('session_id', session_id, 'message_id', id, 'role', role, 'model', model, 'tokens', tokens)
        from inserted
      )
      select *, 'saved' as outcome from inserted
      union all select *, 'duplicate' as outcome from existing`);
    const row = result.rows[0];
    if (!row) throw new Error("message statement returned no row");
    return { kind: row.outcome === "duplicate" ? ("duplicate" as const) : ("saved" as const), message: messageOf(row) };
  });
}

export async function messagesOf(db: Database, sessionId: number, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`select id, session_id, role, content, model, tokens, created_at
      from chat_messages where session_id = ${sessionId} order by created_at, id limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(
      sql`select count(*)::int as total from chat_messages where session_id = ${sessionId}`,
    ),
  ]);
  return { messages: rows.rows.map(messageOf), total: Number(count.rows[0]?.total ?? 0) };
}
