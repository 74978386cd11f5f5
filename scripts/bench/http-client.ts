// The measuring client for sequential and streaming requests: node:http with a keep-alive agent per
// phase (a fresh pool each time, so no phase inherits a socket another system's pause let go stale).
// Latency is from the request's start to the last byte of the response. Failed requests keep their
// status and the start of their body for the report.
import { Agent, request } from "node:http";
import type { System } from "./systems";

export interface Failure {
  status: number;
  body: string;
}

export type Outcome = { ok: true; ms: number } | { ok: false; failure: Failure };

export function requestBody(system: System, stream: boolean, messages: unknown): string {
  return JSON.stringify({
    model: system.model,
    messages,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

function headersFor(system: System, body: string): Record<string, string> {
  return { ...system.headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) };
}

/** One non-streaming request; `ok` only for a 2xx carrying a completion. */
export function timedRequest(agent: Agent, system: System, body: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(system.url, { method: "POST", agent, headers: headersFor(system, body) }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(parts).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300 && text.includes('"choices"')) resolve({ ok: true, ms });
        else resolve({ ok: false, failure: { status, body: text.slice(0, 500) } });
      });
      res.on("error", (error) => resolve({ ok: false, failure: { status: 0, body: String(error) } }));
    });
    req.on("error", (error) => resolve({ ok: false, failure: { status: 0, body: String(error) } }));
    req.end(body);
  });
}

export interface StreamSample {
  /** Request start to the first SSE event carrying a choice. */
  ttfbMs: number;
  /** Gaps between consecutive events that carry a choice (the mock's chunks), as the client saw them. */
  gapsMs: number[];
  chunkEvents: number;
  usageSeen: boolean;
  doneSeen: boolean;
}

export type StreamOutcome = { ok: true; sample: StreamSample } | { ok: false; failure: Failure };

/** One streaming request, timing each SSE event when the bytes that complete it arrive. */
export function timedStream(agent: Agent, system: System, body: string): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const arrivals: number[] = [];
    let usageSeen = false;
    let doneSeen = false;
    let malformed: string | undefined;
    let buffer = "";
    const onEvent = (event: string, at: number) => {
      for (const line of event.split("\n")) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") doneSeen = true;
        else {
          let parsed: { choices?: unknown[]; usage?: unknown };
          try {
            parsed = JSON.parse(data) as typeof parsed;
          } catch {
            malformed = data.slice(0, 200);
            continue;
          }
          if (Array.isArray(parsed.choices) && parsed.choices.length > 0) arrivals.push(at);
          if (parsed.usage) usageSeen = true;
        }
      }
    };
    const fail = (status: number, text: string) =>
      resolve({ ok: false, failure: { status, body: text.slice(0, 500) } });
    const req = request(system.url, { method: "POST", agent, headers: headersFor(system, body) }, (res) => {
      const status = res.statusCode ?? 0;
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        const at = performance.now();
        buffer += text.replaceAll("\r\n", "\n");
        if (status < 200 || status >= 300) return;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          onEvent(buffer.slice(0, end), at);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
      });
      res.on("end", () => {
        if (status < 200 || status >= 300) return fail(status, buffer);
        if (malformed !== undefined) return fail(status, `malformed SSE data: ${malformed}`);
        const first = arrivals[0];
        if (first === undefined || !doneSeen) return fail(status, `stream ended without chunks or [DONE]: ${buffer}`);
        resolve({
          ok: true,
          sample: {
            ttfbMs: first - started,
            gapsMs: arrivals.slice(1).map((at, index) => at - (arrivals[index] ?? at)),
            chunkEvents: arrivals.length,
            usageSeen,
            doneSeen,
          },
        });
      });
      res.on("error", (error) => fail(0, String(error)));
    });
    req.on("error", (error) => fail(0, String(error)));
    req.end(body);
  });
}

/** Runs `task` `count` times with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  });
  await Promise.all(workers);
  return results;
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}
