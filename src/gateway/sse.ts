// The one place upstream SSE is parsed (eventsource-parser) and client SSE is framed.
import type { EventSourceMessage } from "eventsource-parser";
import { EventSourceParserStream } from "eventsource-parser/stream";

/** Parses an upstream event-stream body into events, chunk by chunk (never buffering the whole body). */
export function parseEventStream(body: ReadableStream<Uint8Array>): ReadableStream<EventSourceMessage> {
  return body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
}

const encoder = new TextEncoder();

export function sseData(data: string, event?: string): Uint8Array {
  return encoder.encode(event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`);
}

export const sseDone = (): Uint8Array => encoder.encode("data: [DONE]\n\n");

export const sseHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;
