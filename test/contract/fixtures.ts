// Reading recorded provider payloads (../shared/fixtures/upstream) in contract tests, which run in Node.
import { readFileSync } from "node:fs";
import type { EventSourceMessage } from "eventsource-parser";
import { EventSourceParserStream } from "eventsource-parser/stream";

export const fixturesRoot = new URL("../../../shared/fixtures/upstream/", import.meta.url);

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, fixturesRoot), "utf8");
}

export function fixtureJson<T = unknown>(path: string): T {
  return JSON.parse(fixtureText(path)) as T;
}

/** Parses a recorded `.sse` body with the same parser the gateway uses. */
export async function fixtureEvents(path: string): Promise<EventSourceMessage[]> {
  const stream = new Blob([fixtureText(path)])
    .stream()
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  const events: EventSourceMessage[] = [];
  for await (const event of stream) events.push(event);
  return events;
}
