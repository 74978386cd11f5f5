import type { EventSourceMessage } from "eventsource-parser";
import type { StreamPart } from "./types";

/**
 * Parses an SSE event's JSON data; an event that is not JSON becomes the stream's error part
 * (an upstream that sends garbage mid-stream has failed, whatever its format).
 */
export function parseEventJson(event: EventSourceMessage): { payload: unknown } | { error: StreamPart } {
  try {
    return { payload: JSON.parse(event.data) };
  } catch {
    return {
      error: {
        type: "error",
        error: { status: 502, message: "Malformed stream chunk from upstream", code: null, param: null },
      },
    };
  }
}
