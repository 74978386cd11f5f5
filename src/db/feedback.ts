// Ratings of answers (seed 001 L5660-6826): owned by one user; the session and message they name
// must be the user's own. Stats are one SQL aggregate.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";
import { feedbackTypes } from "./schema";

export type FeedbackType = (typeof feedbackTypes)[number];

export interface FeedbackRow {
  id: number;
  userId: number;
  sessionId: number | null;
  messageId: number | null;
  feedbackType: FeedbackType;
  rating: number | null;
  comment: string | null;
  model: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function feedbackOf(row: Record<string, unknown>): FeedbackRow {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    sessionId: nullableNumber(row.session_id),
    messageId: nullableNumber(row.message_id),
    // The table's check constraint admits only these types.
    feedbackType: feedbackTypes.find((type) => type === row.feedback_type) ?? "thumbs_up",
    rating: nullableNumber(row.rating),
    comment: row.comment === null ? null : String(row.comment),
    model: row.model === null ? null : String(row.model),
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    createdAt: new Date(String(row.created_at)),
    updatedAt: new Date(String(row.updated_at)),
  };
}

const columns = sql`id, user_id, session_id, message_id, feedback_type, rating, comment, model, metadata, created_at, updated_at`;

export interface NewFeedback {
  sessionId: number | null;
  messageId: number | null;
  feedbackType: FeedbackType;
  rating: number | null;
  comment: string | null;
  model: string | null;
  metadata: Record<string, unknown>;
}

export type SubmitOutcome =
  | { kind: "saved"; feedback: FeedbackRow }
  | { kind: "session_not_found" | "message_not_found" };

/**
 * Inserts the feedback only if its session is the user's active session and its message belongs to
 * one of the user's sessions (and to that session when both are given); one statement.
 */
export async function submitFeedback(db: Database, userId: number, input: NewFeedback): Promise<SubmitOutcome> {
  const result = await db.execute<Record<string, unknown>>(sql`
    with session_ok as (
      select ${input.sessionId}::int is null
          or exists (select 1 from chat_sessions where id = ${input.sessionId} and user_id = ${userId} and is_active) as ok
    ),
    message_ok as (
      select ${input.messageId}::bigint is null or exists (
        select 1 from chat_messages m join chat_sessions s on s.id = m.session_id
        where m.id = ${input.messageId} and s.user_id = ${userId}
          and (${input.sessionId}::int is null or m.session_id = ${input.sessionId})
      ) as ok
    ),
    inserted as (
      insert into message_feedback (user_id, session_id, message_id, feedback_type, rating, comment, model, metadata)
      select ${userId}, ${input.sessionId}, ${input.messageId}, ${input.feedbackType}, ${input.rating}, ${input.comment},
             ${input.model}, ${JSON.stringify(input.metadata)}::jsonb
      where (select ok from session_ok) and (select ok from message_ok)
      returning ${columns}
    ),
    audit as (
      insert into activity (user_id, action, details)
      select user_id, 'feedback_submitted',
             jsonb_build_object('feedback_id', id, 'feedback_type', feedback_type, 'session_id', session_id, 'model', model)
      from inserted
    )
    select inserted.*, (select ok from session_ok) as session_ok, (select ok from message_ok) as message_ok
    from (select 1) one left join inserted on true`);
  const row = result.rows[0];
  if (row?.session_ok !== true) return { kind: "session_not_found" };
  if (row.message_ok !== true) return { kind: "message_not_found" };
  return { kind: "saved", feedback: feedbackOf(row) };
}

export interface FeedbackFilter {
  feedbackType?: FeedbackType;
  sessionId?: number;
  model?: string;
}

export async function listFeedback(
  db: Database,
  userId: number,
  filter: FeedbackFilter,
  page: { limit: number; offset: number },
) {
  const conditions: SQL[] = [sql`user_id = ${userId}`];
  if (filter.feedbackType) conditions.push(sql`feedback_type = ${filter.feedbackType}`);
  if (filter.sessionId !== undefined) conditions.push(sql`session_id = ${filter.sessionId}`);
  if (filter.model) conditions.push(sql`model = ${filter.model}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, count] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`select ${columns} from message_feedback where ${where}
      order by created_at desc, id desc limit ${page.limit} offset ${page.offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total from message_feedback where ${where}`),
  ]);
  return { feedback: rows.rows.map(feedbackOf), total: Number(count.rows[0]?.total ?? 0) };
}

export async function updateFeedback(
  db: Database,
  userId: number,
  feedbackId: number,
  changes: { feedbackType?: FeedbackType; rating?: number | null; comment?: string | null },
) {
  const assignments: SQL[] = [sql`updated_at = now()`];
  if (changes.feedbackType !== undefined) assignments.push(sql`feedback_type = ${changes.feedbackType}`);
  if (changes.rating !== undefined) assignments.push(sql`rating = ${changes.rating}`);
  if (changes.comment !== undefined) assignments.push(sql`comment = ${changes.comment}`);
  const result = await db.execute<
    Record<string, unknown>
  >(sql`update message_feedback set ${sql.join(assignments, sql`, `)}
    where id = ${feedbackId} and user_id = ${userId} returning ${columns}`);
  return result.rows[0] ? feedbackOf(result.rows[0]) : undefined;
}

/** Hard delete (seed), owner only. */
export async function deleteFeedback(db: Database, userId: number, feedbackId: number): Promise<boolean> {
  const result = await db.execute(
    sql`delete from message_feedback where id = ${feedbackId} and user_id = ${userId} returning id`,
  );
  return result.rows.length > 0;
}

export interface FeedbackStats {
  total: number;
  thumbsUp: number;
  thumbsDown: number;
  regenerate: number;
  averageRating: number | null;
  byModel: Record<string, { thumbs_up: number; thumbs_down: number; regenerate: number; total: number }>;
}

/** Since midnight UTC `days` days ago (seed), optionally for one model. */
export async function feedbackStats(
  db: Database,
  userId: number,
  days: number,
  model?: string,
): Promise<FeedbackStats> {
  const where = sql`user_id = ${userId} and created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc' - make_interval(days => ${days})
    ${model ? sql`and model = ${model}` : sql``}`;
  const result = await db.execute<Record<string, unknown>>(sql`
    with rows as (select feedback_type, rating, coalesce(model, 'unknown') as model from message_feedback where ${where}),
    per_model as (
      select model, jsonb_build_object(
        'thumbs_up', count(*) filter (where feedback_type = 'thumbs_up'),
        'thumbs_down', count(*) filter (where feedback_type = 'thumbs_down'),
        'regenerate', count(*) filter (where feedback_type = 'regenerate'),
        'total', count(*)) as counts
      from rows group by model
    )
    select (select count(*)::int from rows) as total,
           (select count(*)::int from rows where feedback_type = 'thumbs_up') as thumbs_up,
           (select count(*)::int from rows where feedback_type = 'thumbs_down') as thumbs_down,
           (select count(*)::int from rows where feedback_type = 'regenerate') as regenerate,
           (select round(avg(rating), 2)::text from rows where rating is not null) as average_rating,
           coalesce((select jsonb_object_agg(model, counts) from per_model), '{}'::jsonb) as by_model`);
  const row = result.rows[0] ?? {};
  return {
    total: Number(row.total ?? 0),
    thumbsUp: Number(row.thumbs_up ?? 0),
    thumbsDown: Number(row.thumbs_down ?? 0),
    regenerate: Number(row.regenerate ?? 0),
    averageRating: row.average_rating === null || row.average_rating === undefined ? null : Number(row.average_rating),
    byModel: (row.by_model ?? {}) as FeedbackStats["byModel"],
  };
}
