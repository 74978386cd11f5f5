// Stored answers of the Responses API: written after a response completed (unless `store: false`),
// read for `previous_response_id` and GET /v1/responses/{id}. Every read and delete is scoped to the
// owner, so another user's response is simply not found.
import { sql } from "drizzle-orm";
import { type AnyDatabase, queryRows } from "./client";

export interface StoredResponse {
  id: string;
  userId: number;
  requestId: string;
  model: string;
  status: "completed" | "incomplete";
  previousResponseId: string | null;
  inputItems: Record<string, unknown>[];
  outputItems: Record<string, unknown>[];
  usage: Record<string, unknown> | null;
  settings: Record<string, unknown>;
  createdAt: Date;
}

const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null)
    : [];

const object = (value: unknown): Record<string, unknown> | null =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : null;

function storedResponseOf(row: Record<string, unknown>): StoredResponse {
  return {
    id: String(row.id),
    userId: Number(row.user_id),
    requestId: String(row.request_id),
    model: String(row.model),
    status: row.status === "incomplete" ? "incomplete" : "completed",
    previousResponseId: row.previous_response_id === null ? null : String(row.previous_response_id),
    inputItems: objects(row.input_items),
    outputItems: objects(row.output_items),
    usage: object(row.usage),
    settings: object(row.settings) ?? {},
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at)),
  };
}

const columns = sql`id, user_id, request_id, model, status, previous_response_id, input_items, output_items, usage,
  settings, created_at`;

export async function insertStoredResponse(db: AnyDatabase, response: StoredResponse): Promise<void> {
  await queryRows(
    db,
    sql`insert into stored_responses (id, user_id, request_id, model, status, previous_response_id, input_items,
          output_items, usage, settings, created_at)
        values (${response.id}, ${response.userId}, ${response.requestId}, ${response.model}, ${response.status},
          ${response.previousResponseId}, ${JSON.stringify(response.inputItems)}::jsonb,
          ${JSON.stringify(response.outputItems)}::jsonb, ${response.usage === null ? null : JSON.stringify(response.usage)}::jsonb,
          ${JSON.stringify(response.settings)}::jsonb, ${response.createdAt.toISOString()})
        on conflict (id) do nothing`,
  );
}

/** The user's stored response, or undefined (unknown, deleted, or another user's). */
export async function findStoredResponse(
  db: AnyDatabase,
  userId: number,
  id: string,
): Promise<StoredResponse | undefined> {
  const [row] = await queryRows(
    db,
    sql`select ${columns} from stored_responses where id = ${id} and user_id = ${userId}`,
  );
  return row ? storedResponseOf(row) : undefined;
}

/** True when the user's response existed and is now deleted. */
export async function deleteStoredResponse(db: AnyDatabase, userId: number, id: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`delete from stored_responses where id = ${id} and user_id = ${userId} returning id`,
  );
  return rows.length > 0;
}
