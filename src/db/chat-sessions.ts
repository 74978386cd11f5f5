// Chat history (seed 001 L5172-6805): a user's sessions, each owned by one user; deleting is soft.
// Every change writes its activity row (session_created/updated/deleted) in the same statement.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";
import { containsPattern } from "./like-pattern";

export interface SessionRow {
  id: number;
  userId: number;
  title: string;
  model: string | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function sessionOf(row: Record<string, unknown>): SessionRow {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    title: String(row.title),
    model: row.model === null ? null : String(row.model),
    isActive: row.is_active === true,
    createdAt: new Date(String(row.created_at)),
    updatedAt: new Date(String(row.updated_at)),
  };
}

const sessionColumns = sql`id, user_id, title, model, is_active, created_at, updated_at`;

export async function createSession(db: Database, userId: number, title: string, model: string | null) {
  const result = await db.execute<Record<string, unknown>>(sql`
    with created as (
      insert into chat_sessions (user_id, title, model) values (${userId}, ${title}, ${model})
      returning ${sessionColumns}
    ),
    audit as (
      insert into activity (user_id, action, details)
      select user_id, 'session_created', jsonb_build_object('session_id', id, 'title', title, 'model', model) from created
    )
    select * from created`);
  const row = result.rows[0];
  if (!row) throw new Error("session insert returned no row");
  return sessionOf(row);
}

/** The user's active session, or undefined (another user's or a deleted session is not found). */
export async function findSession(db: Database, userId: number, sessionId: number) {
  const result = await db.execute<Record<string, unknown>>(
    sql`select ${sessionColumns} from chat_sessions where id = ${sessionId} and user_id = ${userId} and is_active`,
  );
  return result.rows[0] ? sessionOf(result.rows[0]) : undefined;
}

export async function listSessions(db: Database, userId: number, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`select ${sessionColumns} from chat_sessions
      where user_id = ${userId} and is_active order by updated_at desc, id desc limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(
      sql`select count(*)::int as total from chat_sessions where user_id = ${userId} and is_active`,
    ),
  ]);
  return { sessions: rows.rows.map(sessionOf), total: Number(count.rows[0]?.total ?? 0) };
}

export async function updateSession(
  db: Database,
  userId: number,
  sessionId: number,
  changes: { title?: string; model?: string },
) {
  const assignments: SQL[] = [sql`updated_at = now()`];
  if (changes.title !== undefined) assignments.push(sql`title = ${changes.title}`);
  if (changes.model !== undefined) assignments.push(sql`model = ${changes.model}`);
  const result = await db.execute<Record<string, unknown>>(sql`
    with changed as (
      update chat_sessions set ${sql.join(assignments, sql`, `)}
      where id = ${sessionId} and user_id = ${userId} and is_active
      returning ${sessionColumns}
    ),
    audit as (
      insert into activity (user_id, action, details)
      select user_id, 'session_updated', jsonb_build_object('session_id', id, 'changes', ${JSON.stringify(changes)}::jsonb)
      from changed
    )
    select * from changed`);
  return result.rows[0] ? sessionOf(result.rows[0]) : undefined;
}

export async function deleteSession(db: Database, userId: number, sessionId: number): Promise<boolean> {
  const result = await db.execute<{ id: number }>(sql`
    with deleted as (
      update chat_sessions set is_active = false, updated_at = now()
      where id = ${sessionId} and user_id = ${userId} and is_active
      returning id, user_id
    ),
    audit as (
      insert into activity (user_id, action, details)
      select user_id, 'session_deleted', jsonb_build_object('session_id', id) from deleted
    )
    select id from deleted`);
  return result.rows.length > 0;
}

/** Own active sessions whose title or any message contains the text, most recently updated first. */
export async function searchSessions(
  db: Database,
  userId: number,
  text: string,
  page: { limit: number; offset: number },
) {
  const pattern = containsPattern(text);
  const matches = sql`s.user_id = ${userId} and s.is_active and (s.title ilike ${pattern}
    or exists (select 1 from chat_messages m where m.session_id = s.id and m.content ilike ${pattern}))`;
  const [rows, count] = await Promise.all([
    db.execute<
      Record<string, unknown>
    >(sql`select s.id, s.user_id, s.title, s.model, s.is_active, s.created_at, s.updated_at
      from chat_sessions s where ${matches} order by s.updated_at desc, s.id desc limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total from chat_sessions s where ${matches}`),
  ]);
  return { sessions: rows.rows.map(sessionOf), total: Number(count.rows[0]?.total ?? 0) };
}

export async function chatStats(db: Database, userId: number) {
  const result = await db.execute<{ sessions: number; messages: number; tokens: string }>(sql`
    select count(distinct s.id)::int as sessions, count(m.id)::int as messages, coalesce(sum(m.tokens), 0)::text as tokens
    from chat_sessions s left join chat_messages m on m.session_id = s.id
    where s.user_id = ${userId} and s.is_active`);
  const row = result.rows[0];
  return {
    totalSessions: Number(row?.sessions ?? 0),
    totalMessages: Number(row?.messages ?? 0),
    totalTokens: Number(row?.tokens ?? 0),
  };
}
