// Opt-in exact-match response cache on the Workers Cache API. The key is the user plus the request
// normalised (stream flags, cache flags and session_id left out, object keys sorted), so a hit is
// only ever another request of the same user asking exactly the same thing. A hit returns the
// stored bytes unchanged, is logged with cost 0 and the cost it saved, and is never billed.
import { sha256Hex } from "../lib/crypto";
import type { ChatRequest } from "../providers/openai-types";
import type { Answer, InferenceContext } from "./context";
import { noUsage, settleLater } from "./settle";

const ignoredFields = new Set(["stream", "stream_options", "cache", "session_id", "user"]);

function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !ignoredFields.has(key))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, normalised(inner)]),
    );
  }
  return value;
}

export async function cacheKeyFor(request: ChatRequest, userId: number, endpoint: string): Promise<string> {
  const digest = await sha256Hex(JSON.stringify(normalised(request)));
  const kind = request.stream === true ? "stream" : "json";
  // A synthetic URL: the Cache API keys on URLs; nothing is ever fetched from it.
  return `https://response-cache.gateway.invalid/${endpoint}/${userId}/${kind}/${digest}`;
}

const header = {
  cost: "x-gateway-cache-cost",
  promptTokens: "x-gateway-cache-prompt-tokens",
  completionTokens: "x-gateway-cache-completion-tokens",
  provider: "x-gateway-cache-provider",
  upstreamModel: "x-gateway-cache-upstream-model",
} as const;

/** What the client sees: the stored body and content type, marked as a hit. */
function hitResponse(stored: Response): Response {
  return new Response(stored.body, {
    status: 200,
    headers: {
      "content-type": stored.headers.get("content-type") ?? "application/json",
      "cache-control": "no-cache",
      "x-gateway-cache": "hit",
    },
  });
}

export interface ResponseCache {
  /** A cached answer (already logged as a hit), or undefined. */
  lookup(): Promise<Response | undefined>;
  /** Pass as ctx.onAnswered (composed with any other). */
  onAnswered(answer: Answer): Promise<void>;
  /** Marks the response as a miss and stores a copy once it completed; the client's copy is untouched. */
  capture(response: Response): Response;
}

export function responseCache(
  ctx: InferenceContext,
  request: ChatRequest,
  key: string,
  ttlSeconds: number,
  cache: Cache,
): ResponseCache {
  let answer: Answer | undefined;
  let body: Uint8Array[] | undefined;
  let contentType = "application/json";

  const storeWhenComplete = async () => {
    // Both the answer (the request completed) and the whole copy are needed; whichever arrives
    // second stores it. A failed request never gets an answer, so nothing is stored.
    if (!answer || !body) return;
    const headers = new Headers({
      "content-type": contentType,
      "cache-control": `max-age=${ttlSeconds}`,
      [header.cost]: answer.cost,
      [header.promptTokens]: String(answer.promptTokens),
      [header.completionTokens]: String(answer.completionTokens),
      [header.provider]: answer.provider,
      [header.upstreamModel]: answer.upstreamModel,
    });
    await cache.put(key, new Response(new Blob(body), { headers }));
  };

  return {
    async lookup() {
      const stored = await cache.match(key);
      if (!stored) return undefined;
      // Logged like any request (durably, through the outbox when Postgres is down), at cost 0.
      settleLater(ctx, {
        requestedModel: request.model,
        provider: stored.headers.get(header.provider),
        upstreamModel: stored.headers.get(header.upstreamModel),
        endpoint: "chat.completions",
        stream: request.stream === true,
        status: "completed",
        httpStatus: 200,
        usage: {
          ...noUsage,
          promptTokens: Number(stored.headers.get(header.promptTokens) ?? 0),
          completionTokens: Number(stored.headers.get(header.completionTokens) ?? 0),
        },
        usageEstimated: false,
        catalog: { modelId: null, prices: undefined },
        cost: { nanos: 0n, priced: true },
        startedAt: Date.now(),
        firstTokenAt: null,
        finishReason: null,
        errorMessage: null,
        cacheHit: { savedCost: stored.headers.get(header.cost) ?? "0" },
      });
      return hitResponse(stored);
    },
    async onAnswered(completed) {
      answer = completed;
      await storeWhenComplete();
    },
    capture(response) {
      if (response.status !== 200 || !response.body) return response;
      contentType = response.headers.get("content-type") ?? contentType;
      // The client reads one branch as it arrives; the other is collected for the cache.
      const [client, copy] = response.body.tee();
      ctx.defer(
        (async () => {
          const chunks: Uint8Array[] = [];
          const reader = copy.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
          }
          body = chunks;
          await storeWhenComplete();
        })(),
      );
      const headers = new Headers(response.headers);
      headers.set("x-gateway-cache", "miss");
      return new Response(client, { status: response.status, headers });
    },
  };
}
