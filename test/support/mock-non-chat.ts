// Mock answers for the non-chat upstream endpoints: OpenAI-compatible `/embeddings` and
// `/images/generations`, Gemini `models/{model}:batchEmbedContents`, Anthropic `/messages/count_tokens`.
// NOT recorded payloads: ../shared/fixtures/upstream has no recordings of these endpoints (see its
// SOURCES.md), so these bodies are written to match the providers' documented shapes, minimally:
//   OpenAI embeddings   {object: "list", data: [{object: "embedding", index, embedding}], model, usage: {prompt_tokens, total_tokens}}
//   Gemini batch embed  {embeddings: [{values: [...]}]}  (no token counts)
//   OpenAI images       {created, data: [{url | b64_json, revised_prompt}]}
//   Anthropic count     {input_tokens}
// Deterministic, so tests can compute what to expect with the helpers exported here:
//   - a vector is `mockVector(text, dimensions ?? 4)`; OpenAI-style usage counts whitespace-separated words;
//   - `count_tokens` answers `mockInputTokens(body)`;
//   - model `…?fail_on=<provider>` makes that provider (path prefix) answer a 500;
//   - model `…error-400…` gets an OpenAI-style 400; `…no-usage…` an embeddings list without usage.
import type { ServerResponse } from "node:http";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Values exactly representable in float32, so base64 round trips compare equal. */
export function mockVector(text: string, dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_, index) => (((text.length + index) % 16) - 8) / 8);
}

export const mockWordCount = (text: string): number => text.split(/\s+/).filter((word) => word.length > 0).length;

function blockText(block: unknown): string {
  if (typeof block === "string") return block;
  return isRecord(block) && typeof block.text === "string" ? block.text : "";
}

/** What the mock's count_tokens answers: the words of system and messages, plus 7 per message. */
export function mockInputTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const system = Array.isArray(body.system) ? body.system.map(blockText).join(" ") : blockText(body.system);
  let words = mockWordCount(system);
  for (const message of messages) {
    const content = Array.isArray(message.content) ? message.content.map(blockText).join(" ") : message.content;
    words += mockWordCount(blockText(content));
  }
  return words + 7 * messages.length;
}

function send(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return true;
}

function float32Base64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

function embeddings(body: Record<string, unknown>, res: ServerResponse): true {
  const model = String(body.model ?? "");
  const input = body.input;
  const items: (string | number[])[] =
    typeof input === "string"
      ? [input]
      : Array.isArray(input) && input.every((item) => typeof item === "number")
        ? [input as number[]]
        : Array.isArray(input)
          ? (input as (string | number[])[])
          : [];
  const dimensions = typeof body.dimensions === "number" ? body.dimensions : 4;
  const data = items.map((item, index) => {
    const vector = mockVector(typeof item === "string" ? item : item.join(" "), dimensions);
    return {
      object: "embedding",
      index,
      embedding: body.encoding_format === "base64" ? float32Base64(vector) : vector,
    };
  });
  const tokens = items.reduce((sum, item) => sum + (typeof item === "string" ? mockWordCount(item) : item.length), 0);
  const usage = model.includes("no-usage") ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens } };
  // Reversed, as a vendor may: the gateway must put vectors back in input order by `index`.
  return send(res, 200, { object: "list", data: data.reverse(), model: model.replace(/\?.*$/, ""), ...usage });
}

function geminiEmbeddings(body: Record<string, unknown>, res: ServerResponse): true {
  const requests = Array.isArray(body.requests) ? body.requests.filter(isRecord) : [];
  const embeddings = requests.map((request) => {
    const content = isRecord(request.content) ? request.content : {};
    const parts = Array.isArray(content.parts) ? content.parts : [];
    const text = parts.map(blockText).join("");
    const dimensions = typeof request.outputDimensionality === "number" ? request.outputDimensionality : 4;
    return { values: mockVector(text, dimensions) };
  });
  return send(res, 200, { embeddings });
}

function images(body: Record<string, unknown>, res: ServerResponse): true {
  const model = String(body.model ?? "").replace(/\?.*$/, "");
  const n = typeof body.n === "number" ? body.n : 1;
  const prompt = String(body.prompt ?? "");
  const data = Array.from({ length: n }, (_, index) =>
    body.response_format === "b64_json"
      ? { b64_json: Buffer.from(`mock image ${index} of ${model}`).toString("base64"), revised_prompt: prompt }
      : { url: `https://images.mock.test/${encodeURIComponent(model)}/${index}.png`, revised_prompt: prompt },
  );
  return send(res, 200, { created: 1_767_225_600, data });
}

/** Answers the request when it is one of these endpoints; false when it is not. */
export function serveNonChat(path: string, body: Record<string, unknown>, res: ServerResponse): boolean {
  const decoded = decodeURIComponent(path);
  const gemini = /\/models\/([^/]+):batchEmbedContents$/.exec(decoded);
  const kind = gemini
    ? "gemini-embeddings"
    : path.endsWith("/embeddings")
      ? "embeddings"
      : path.endsWith("/images/generations")
        ? "images"
        : path.endsWith("/messages/count_tokens")
          ? "count-tokens"
          : undefined;
  if (!kind) return false;
  const model = gemini?.[1] ?? String(body.model ?? "");
  const failOn = /[?&]fail_on=([a-z0-9-]+)/.exec(model)?.[1];
  if (failOn && path.startsWith(`/${failOn}/`)) {
    return send(res, 500, { error: { message: "mock upstream: internal error", type: "server_error", code: null } });
  }
  if (model.includes("error-400")) {
    return send(res, 400, {
      error: { message: "mock upstream: invalid input", type: "invalid_request_error", param: "input", code: null },
    });
  }
  switch (kind) {
    case "gemini-embeddings":
      return geminiEmbeddings(body, res);
    case "embeddings":
      return embeddings(body, res);
    case "images":
      return images(body, res);
    case "count-tokens":
      return send(res, 200, { input_tokens: mockInputTokens(body) });
  }
}
