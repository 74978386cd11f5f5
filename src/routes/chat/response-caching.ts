// Whether a chat completion uses the response cache: `cache: true` in the body or the header
// `x-gateway-cache: true`, else the account's preference; an explicit false always wins.
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { Answer, InferenceContext } from "../../gateway/context";
import { cacheKeyFor, type ResponseCache, responseCache } from "../../gateway/response-cache";
import type { ChatRequest } from "../../providers/openai-types";

function optedIn(c: Context<AppEnv>, body: ChatRequest): boolean {
  const auth = c.var.auth;
  if (auth.kind !== "user") return false;
  const asked = typeof body.cache === "boolean" ? body.cache : c.req.header("x-gateway-cache")?.toLowerCase();
  if (asked === true || asked === "true") return true;
  if (asked === false || asked === "false") return false;
  return auth.user.preferences.response_cache === true;
}

export async function responseCacheFor(
  c: Context<AppEnv>,
  ctx: InferenceContext,
  body: ChatRequest,
): Promise<ResponseCache | undefined> {
  if (!optedIn(c, body) || ctx.caller.userId === null) return undefined;
  const key = await cacheKeyFor(body, ctx.caller.userId, "chat.completions");
  return responseCache(ctx, body, key, c.var.config.RESPONSE_CACHE_TTL_SECONDS, caches.default);
}

/** Runs every callback given (the session appender and the cache both want the answer). */
export function bothAnswered(
  ...callbacks: (((answer: Answer) => Promise<void>) | undefined)[]
): ((answer: Answer) => Promise<void>) | undefined {
  const present = callbacks.filter((callback) => callback !== undefined);
  if (present.length === 0) return undefined;
  return async (answer) => {
    await Promise.all(present.map((callback) => callback(answer)));
  };
}

/** The answer text of a cached response (JSON or an OpenAI event stream), for the session append. */
async function cachedAnswerText(hit: Response): Promise<string> {
  const text = await hit.text();
  if (!(hit.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const parsed = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] };
    const content = parsed.choices?.[0]?.message?.content;
    return typeof content === "string" ? content : "";
  }
  let answer = "";
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    try {
      const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: unknown } }[] };
      const content = chunk.choices?.[0]?.delta?.content;
      if (typeof content === "string") answer += content;
    } catch {
      // Not a JSON event (a comment or keep-alive): nothing to add.
    }
  }
  return answer;
}

/** A cache hit with session_id still appends the exchange (no tokens were spent on it). */
export async function appendCachedAnswer(
  hit: Response,
  append: (answer: Answer) => Promise<void>,
  model: string,
): Promise<void> {
  await append({
    content: await cachedAnswerText(hit),
    model,
    provider: "cache",
    upstreamModel: model,
    promptTokens: 0,
    completionTokens: 0,
    cost: "0",
  });
}
