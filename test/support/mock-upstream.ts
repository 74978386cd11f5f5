// A real HTTP upstream for tests that replays recorded provider payloads (../shared/fixtures/upstream).
// The fixture is chosen by the upstream model id the gateway sends: `fixture:<path without extension>`,
// e.g. model `openai/fixture:openai/chat-completion-text` reaches provider openai with upstream model
// `fixture:openai/chat-completion-text`. Streams come from the `.sse` file, sent event by event with
// `chunkDelayMs` between them. Status and headers come from the `.meta.json` beside the payload.
// Every request is recorded; GET /__requests returns them (for asserting what the gateway sent), and
// GET /__fixtures/<path> returns a fixture file (tests run in workerd, which cannot read host files).
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { createCatalogServer } from "./mock-catalog";
import { serveNonChat } from "./mock-non-chat";

export const fixturesRoot = fileURLToPath(new URL("../../../shared/fixtures/upstream/", import.meta.url));

export interface RecordedRequest {
  path: string;
  authorization: string | null;
  body: Record<string, unknown>;
  /** True when the gateway hung up before the whole response was sent. */
  aborted: boolean;
}

export interface MockUpstream {
  readonly url: string;
  stop(): Promise<void>;
}

interface Meta {
  response?: { status?: number; headers?: Record<string, string | string[]> };
}

function statusFromName(name: string): number | undefined {
  const match = /error-(\d{3})/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Splits an SSE body into events (keeping each event's exact bytes, including its blank line). */
function sseEvents(text: string): string[] {
  return text.split(/(?<=\r?\n\r?\n)/).filter((event) => event.length > 0);
}

export async function startMockUpstream(options: { chunkDelayMs?: number } = {}): Promise<MockUpstream> {
  const recorded: RecordedRequest[] = [];
  const catalog = createCatalogServer(fixturesRoot);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const path = new URL(req.url ?? "/", "http://mock").pathname;
      if (req.method === "GET" && path.startsWith("/__fixtures/")) {
        const name = decodeURIComponent(path.slice("/__fixtures/".length));
        const file = `${fixturesRoot}${name}`;
        if (name.includes("..") || !existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/octet-stream" }).end(readFileSync(file));
        return;
      }
      if (req.method === "GET" && path === "/__requests") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(recorded));
        return;
      }
      const bodyText = Buffer.concat(chunks).toString("utf8");
      if (catalog.serve(req, res, bodyText)) return;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(bodyText) as Record<string, unknown>;
      } catch {
        // Recorded as empty.
      }
      const entry: RecordedRequest = { path, authorization: req.headers.authorization ?? null, body, aborted: false };
      recorded.push(entry);
      entry.authorization ??=
        (req.headers["x-api-key"] as string | undefined) ??
        (req.headers["x-goog-api-key"] as string | undefined) ??
        null;
      res.on("close", () => {
        if (!res.writableFinished) entry.aborted = true;
      });
      // Embeddings, images and token counting have no recordings: documented shapes (mock-non-chat.ts).
      if (serveNonChat(path, body, res)) return;
      // Gemini names the model and the streaming mode in the path: /models/<model>:streamGenerateContent.
      const geminiCall = /\/models\/(.+):(generateContent|streamGenerateContent)$/.exec(decodeURIComponent(path));
      const model = typeof body.model === "string" ? body.model : (geminiCall?.[1] ?? "");
      const wantsStream = body.stream === true || geminiCall?.[2] === "streamGenerateContent";
      const name = model.startsWith("fixture:")
        ? model.slice("fixture:".length).replace(/\?.*$/, "")
        : (catalog.replyFixture(model) ?? "");
      const delayMs = Number(/[?&]delay=(\d+)/.exec(model)?.[1] ?? options.chunkDelayMs ?? 0);
      const base = `${fixturesRoot}${name}`;
      const streamFile = `${base}.sse`;
      const jsonFile = `${base}.json`;
      const file = wantsStream && existsSync(streamFile) ? streamFile : existsSync(jsonFile) ? jsonFile : undefined;
      if (!name || !file || name.includes("..")) {
        res.writeHead(404, { "content-type": "application/json" }).end(
          JSON.stringify({
            error: {
              message: `mock upstream: no fixture for model '${model}'`,
              type: "invalid_request_error",
              code: "model_not_found",
            },
          }),
        );
        return;
      }
      // `?fail_on=<provider>`: that provider answers with a recorded 500 instead (for failover tests).
      const failOn = /[?&]fail_on=([a-z0-9-]+)/.exec(model)?.[1];
      if (failOn && path.startsWith(`/${failOn}/`)) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(readFileSync(`${fixturesRoot}openai-compatible/mistral/error-500-service-unavailable.json`));
        return;
      }
      const meta: Meta = existsSync(`${base}.meta.json`)
        ? (JSON.parse(readFileSync(`${base}.meta.json`, "utf8")) as Meta)
        : {};
      const status = meta.response?.status ?? statusFromName(name) ?? 200;
      const retryAfter = meta.response?.headers?.["retry-after"];
      const headers: Record<string, string> = {
        "content-type": file.endsWith(".sse") ? "text/event-stream" : "application/json",
      };
      if (typeof retryAfter === "string") headers["retry-after"] = retryAfter;
      const payload = readFileSync(file, "utf8");
      // `?headers_after=<ms>` holds the response headers back (for timeout tests).
      const headersAfterMs = Number(/[?&]headers_after=(\d+)/.exec(model)?.[1] ?? 0);
      if (headersAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, headersAfterMs));
      if (res.destroyed) return;
      res.writeHead(status, headers);
      if (!file.endsWith(".sse")) {
        res.end(payload);
        return;
      }
      for (const event of sseEvents(payload)) {
        if (res.destroyed) return;
        res.write(event);
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("mock upstream failed to bind");
  return {
    url: `http://127.0.0.1:${address.port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Providers the tests point at the mock, each with its own fake vendor key. */
export const mockedProviders = [
  "openai",
  "groq",
  "deepseek",
  "mistral",
  "xai",
  "cerebras",
  "openrouter",
  "huggingface",
  "anthropic",
  "google",
] as const;

export function mockProviderBindings(mockUrl: string): Record<string, string> {
  const bindings: Record<string, string> = {};
  for (const provider of mockedProviders) {
    const slug = provider.toUpperCase();
    bindings[`${slug}_API_KEY`] = `test-${provider}-key`;
    bindings[`${slug}_BASE_URL`] = `${mockUrl}/${provider}/v1`;
  }
  bindings.HUGGINGFACE_CATALOG_URL = `${mockUrl}/huggingface-hub/api/models`;
  bindings.HUGGINGFACE_HUB_URL = `${mockUrl}/huggingface-hub`;
  bindings.MODELS_DEV_URL = `${mockUrl}/models.dev/api.json`;
  return bindings;
}
