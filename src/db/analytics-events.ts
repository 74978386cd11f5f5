// Product analytics events: stored in one statement before any sink sees them, so a sink outage
// never loses one; each sink's acceptance is recorded on the rows it took.
import { sql } from "drizzle-orm";
import type { AnyDatabase } from "./client";
import { queryRows } from "./client";

export interface NewAnalyticsEvent {
  userId: number | null;
  /** Who the sinks see: the user's id, the client's own id for an anonymous caller, or "anonymous". */
  distinctId: string;
  sessionId: string | null;
  eventName: string;
  value: string | null;
  properties: Record<string, unknown>;
  occurredAt: Date;
}

export interface StoredAnalyticsEvent extends NewAnalyticsEvent {
  id: number;
}

export async function storeEvents(db: AnyDatabase, events: NewAnalyticsEvent[]): Promise<StoredAnalyticsEvent[]> {
  const rows = await queryRows(
    db,
    sql`insert into analytics_events (user_id, session_id, event_name, properties, occurred_at)
      select e.user_id, e.session_id, e.event_name, e.properties, e.occurred_at
      from jsonb_to_recordset(${JSON.stringify(
        events.map((event) => ({
          user_id: event.userId,
          session_id: event.sessionId,
          event_name: event.eventName,
          properties: { ...event.properties, distinct_id: event.distinctId, value: event.value },
          occurred_at: event.occurredAt.toISOString(),
        })),
      )}::jsonb) as e(user_id int, session_id text, event_name text, properties jsonb, occurred_at timestamptz)
      returning id`,
  );
  // Ids are assigned in insertion order, which is the order of the records.
  const ids = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  return events.map((event, index) => ({ ...event, id: ids[index] ?? 0 }));
}

/** Marks the events as accepted by the sink (idempotent). */
export async function markForwarded(db: AnyDatabase, sink: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await queryRows(
    db,
    sql`update analytics_events set forwarded = forwarded || jsonb_build_object(${sink}::text, now())
      where id = any(${`{${ids.join(",")}}`}::bigint[])`,
  );
}

/** Events of the last day a sink has not accepted yet, oldest first (the cron retries them). */
export async function unforwardedEvents(db: AnyDatabase, sink: string, limit: number): Promise<StoredAnalyticsEvent[]> {
  const rows = await queryRows(
    db,
    sql`select id, user_id, session_id, event_name, properties, occurred_at from analytics_events
      where created_at >= now() - interval '1 day' and not forwarded ? ${sink}
      order by id limit ${limit}`,
  );
  return rows.map((row) => {
    const { distinct_id: distinctId, value, ...properties } = (row.properties ?? {}) as Record<string, unknown>;
    return {
      id: Number(row.id),
      userId: row.user_id === null ? null : Number(row.user_id),
      distinctId: typeof distinctId === "string" ? distinctId : "anonymous",
      sessionId: row.session_id === null ? null : String(row.session_id),
      eventName: String(row.event_name),
      value: typeof value === "string" ? value : null,
      properties,
      occurredAt: new Date(String(row.occurred_at)),
    };
  });
}
