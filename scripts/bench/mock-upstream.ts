// The fast OpenAI-compatible upstream every system in the bench talks to, in its own process so its
// CPU is nobody else's. POST /v1/chat/completions answers with the recorded completion, or with SSE built
// from the recorded stream: MOCK_STREAM_CHUNKS chunk events (the role chunk, the recorded content
// chunks repeated, the finish chunk) written MOCK_CHUNK_INTERVAL_MS apart on a fixed schedule, then the
// recorded usage chunk when `stream_options.include_usage` is set, then `data: [DONE]`. The schedule is
// absolute (chunk k at start + k × interval), so a client can compare its observed gaps to the interval.
// MOCK_LATENCY_MS delays the response (or the first chunk). Payloads are read once, sent as bytes.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { requiredEnv, serveParent } from "./ipc";

const fixtures = new URL("../../../shared/fixtures/upstream/openai/", import.meta.url);
const latencyMs = Number(requiredEnv("MOCK_LATENCY_MS"));
const chunkCount = Number(requiredEnv("MOCK_STREAM_CHUNKS"));
const intervalMs = Number(requiredEnv("MOCK_CHUNK_INTERVAL_MS"));

interface StreamChunk {
  choices?: { delta?: { role?: string; content?: string }; finish_reason?: string | null }[];
  usage?: unknown;
}

/** The recorded SSE body split into its JSON data payloads, kept verbatim. */
function recordedEvents(): { json: string; chunk: StreamChunk }[] {
  const text = readFileSync(new URL("chat-stream-text-usage.sse", fixtures), "utf8");
  return text
    .split(/\r?\n\r?\n/)
    .map((block) => block.replace(/^data: ?/, "").trim())
    .filter((data) => data.length > 0 && data !== "[DONE]")
    .map((json) => ({ json, chunk: JSON.parse(json) as StreamChunk }));
}

function buildStream(): { chunks: Buffer[]; usage: Buffer; done: Buffer } {
  const events = recordedEvents();
  const withChoices = events.filter((event) => (event.chunk.choices?.length ?? 0) > 0);
  const role = withChoices.find((event) => event.chunk.choices?.[0]?.delta?.role !== undefined);
  const finish = withChoices.find((event) => typeof event.chunk.choices?.[0]?.finish_reason === "string");
  const contents = withChoices.filter((event) => event !== role && event !== finish);
  const usage = events.find((event) => (event.chunk.choices?.length ?? 0) === 0 && event.chunk.usage);
  if (!role || !finish || !usage || contents.length === 0) throw new Error("unexpected shape of the recorded stream");
  const sse = (json: string) => Buffer.from(`data: ${json}\n\n`);
  // Repeat the recorded content chunks to reach the configured number of chunk events.
  const middle = Array.from({ length: chunkCount - 2 }, (_, index) => contents[index % contents.length]?.json ?? "");
  return {
    chunks: [role.json, ...middle, finish.json].map(sse),
    usage: sse(usage.json),
    done: Buffer.from("data: [DONE]\n\n"),
  };
}

const completion = Buffer.from(
  JSON.stringify(JSON.parse(readFileSync(new URL("chat-completion-text.json", fixtures), "utf8"))),
);
const stream = buildStream();
const counters = { completions: 0, streams: 0, bad: 0 };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendStream(res: ServerResponse, includeUsage: boolean): void {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  res.flushHeaders();
  const start = performance.now() + latencyMs;
  let next = 0;
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  const writeDue = () => {
    if (closed) return;
    // Write every chunk that is due (one normally; more only if this process fell behind).
    while (next < stream.chunks.length && performance.now() >= start + next * intervalMs - 0.5) {
      const chunk = stream.chunks[next];
      if (chunk) res.write(chunk);
      next += 1;
    }
    if (next < stream.chunks.length) {
      setTimeout(writeDue, Math.max(0, start + next * intervalMs - performance.now()));
      return;
    }
    if (includeUsage) res.write(stream.usage);
    res.end(stream.done);
  };
  setTimeout(writeDue, latencyMs);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
    return;
  }
  let body: { stream?: unknown; stream_options?: { include_usage?: unknown } };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch {
    counters.bad += 1;
    res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"message":"invalid JSON"}}');
    return;
  }
  if (body.stream === true) {
    counters.streams += 1;
    sendStream(res, body.stream_options?.include_usage === true);
    return;
  }
  counters.completions += 1;
  const respond = () =>
    res.writeHead(200, { "content-type": "application/json", "content-length": completion.length }).end(completion);
  if (latencyMs > 0) setTimeout(respond, latencyMs);
  else respond();
}

const server = createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  handle(req, res).catch(() => res.destroy());
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  serveParent(
    { port },
    {
      handlers: { stats: () => ({ ...counters }) },
      stop: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    },
  );
});
