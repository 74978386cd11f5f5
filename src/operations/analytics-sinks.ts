// Forwards stored analytics events to the configured sinks: PostHog's batch capture API and
// Statsig's log_event API. A sink that fails is logged and retried by the cron; the events stay stored.

import { markForwarded, type StoredAnalyticsEvent, unforwardedEvents } from "../db/analytics-events";
import type { AnyDatabase } from "../db/client";
import type { Config } from "../env";

interface Sink {
  name: "posthog" | "statsig";
  send(events: StoredAnalyticsEvent[]): Promise<void>;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
}

export function configuredSinks(config: Config): Sink[] {
  const sinks: Sink[] = [];
  const posthogKey = config.POSTHOG_API_KEY;
  if (posthogKey) {
    sinks.push({
      name: "posthog",
      send: (events) =>
        postJson(`${config.POSTHOG_HOST.replace(/\/$/, "")}/batch/`, {
          api_key: posthogKey,
          batch: events.map((event) => ({
            event: event.eventName,
            distinct_id: event.distinctId,
            properties: { ...event.properties, ...(event.value === null ? {} : { value: event.value }) },
            timestamp: event.occurredAt.toISOString(),
          })),
        }),
    });
  }
  const statsigKey = config.STATSIG_SERVER_SECRET_KEY;
  if (statsigKey) {
    sinks.push({
      name: "statsig",
      send: (events) =>
        postJson(
          `${config.STATSIG_API_URL.replace(/\/$/, "")}/log_event`,
          {
            events: events.map((event) => ({
              eventName: event.eventName,
              user: { userID: event.distinctId },
              value: event.value,
              metadata: event.properties,
              time: event.occurredAt.getTime(),
            })),
          },
          { "statsig-api-key": statsigKey },
        ),
    });
  }
  return sinks;
}

/** Sends to every sink independently: one sink down never keeps the events from the others. */
export async function forwardEvents(db: AnyDatabase, config: Config, events: StoredAnalyticsEvent[]): Promise<void> {
  if (events.length === 0) return;
  await Promise.all(
    configuredSinks(config).map(async (sink) => {
      try {
        await sink.send(events);
        await markForwarded(
          db,
          sink.name,
          events.map((event) => event.id),
        );
      } catch (error) {
        console.warn(
          JSON.stringify({ msg: "analytics sink failed; the cron retries", sink: sink.name, error: String(error) }),
        );
      }
    }),
  );
}

/** The cron's retry: events of the last day a configured sink has not accepted yet. */
export async function retryUnforwarded(db: AnyDatabase, config: Config, limit = 500): Promise<void> {
  for (const sink of configuredSinks(config)) {
    const events = await unforwardedEvents(db, sink.name, limit);
    if (events.length === 0) continue;
    await sink.send(events);
    await markForwarded(
      db,
      sink.name,
      events.map((event) => event.id),
    );
  }
}
