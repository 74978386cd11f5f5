// The `stub` provider for local development: a tiny upstream that answers OpenAI chat completions
// (JSON and SSE, with usage) and Anthropic Messages, so the gateway works without any vendor key.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface StubUpstream {
  readonly url: string;
  stop(): Promise<void>;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  messages?: { role?: string; content?: unknown }[];
  max_tokens?: number;
}

const replyText = "Hello from the local stub provider. Point a real provider's key at the gateway to talk to a model.";

function readJson(req: IncomingMessage): Promise<ChatBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatBody);
      } catch {
        resolve({});
      }
    });
  });
}

/** The same 4-characters-per-token estimate the gateway uses when an upstream reports nothing. */
function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? "").length / 4));
}

function openAiCompletion(body: ChatBody, res: ServerResponse): void {
  const id = `chatcmpl-stub-${Date.now()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? "stub-model";
  const usage = {
    prompt_tokens: estimateTokens(body.messages),
    completion_tokens: estimateTokens(replyText),
    total_tokens: estimateTokens(body.messages) + estimateTokens(replyText),
  };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: replyText }, finish_reason: "stop" }],
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }, null));
  for (const word of replyText.split(/(?<= )/)) res.write(chunk({ content: word }, null));
  res.write(chunk({}, "stop"));
  res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`);
  res.end("data: [DONE]\n\n");
}

function anthropicMessage(body: ChatBody, res: ServerResponse): void {
  const id = `msg_stub_${Date.now()}`;
  const model = body.model ?? "stub-model";
  const usage = { input_tokens: estimateTokens(body.messages), output_tokens: estimateTokens(replyText) };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id,
        type: "message",
        role: "assistant",
        model,
        content: [{ type: "text", text: replyText }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const event = (name: string, data: object) =>
    res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
  event("message_start", {
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  event("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  for (const word of replyText.split(/(?<= )/))
    event("content_block_delta", { index: 0, delta: { type: "text_delta", text: word } });
  event("content_block_stop", { index: 0 });
  event("message_delta", {
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  event("message_stop", {});
  res.end();
}

export async function startStubUpstream(port = 0): Promise<StubUpstream> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://stub").pathname;
    if (req.method === "GET" && path.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          object: "list",
          // Priced like the seeded row, so a catalog sync of the stub keeps dev billing as it was.
          data: [
            {
              id: "stub-model",
              object: "model",
              created: 0,
              owned_by: "stub",
              name: "Local stub model",
              pricing: { prompt: "0.000001", completion: "0.000002" },
            },
          ],
        }),
      );
      return;
    }
    if (req.method !== "POST") {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const body = await readJson(req);
    if (path.endsWith("/chat/completions")) openAiCompletion(body, res);
    else if (path.endsWith("/messages")) anthropicMessage(body, res);
    else
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "not found" } }));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("stub upstream failed to bind");
  return {
    url: `http://127.0.0.1:${address.port}/v1`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
