import type { Context } from "hono";
import { cachedRateLimitOverride } from "../../db/rate-limit-configs";
import type { AppEnv } from "../../env";
import { runChatCompletion } from "../../gateway/chat-completion";
import type { Caller, InferenceContext } from "../../gateway/context";
import { forbidden } from "../../lib/errors";
import { currentUser } from "../../middleware/auth";
import type { ChatRequest } from "../../providers/openai-types";
import { appendCachedAnswer, bothAnswered, responseCacheFor } from "./response-caching";
import { sessionAppender } from "./session-append";

/** Who pays for the request: the key's user, or nobody for anonymous use of the allowed models. */
async function callerOf(c: Context<AppEnv>): Promise<Caller> {
  if (c.var.auth.kind === "anonymous") {
    return {
      userId: null,
      apiKeyId: null,
      allowedModels: c.var.config.ANONYMOUS_ALLOWED_MODELS,
      concurrencyLimit: null,
    };
  }
  const { user, key } = currentUser(c);
  // Read through the same in-isolate cache the rate-limit middleware just filled.
  const override = await cachedRateLimitOverride(c.var.db, key.id, (error) => c.var.sentry?.captureException(error));
  return {
    userId: user.id,
    apiKeyId: key.id,
    allowedModels: key.allowedModels,
    concurrencyLimit: override?.concurrencyLimit ?? null,
  };
}

export async function inferenceContext(c: Context<AppEnv>): Promise<InferenceContext> {
  return {
    requestId: c.var.requestId,
    env: c.env,
    config: c.var.config,
    db: c.var.db,
    sql: c.var.sql,
    defer: c.var.defer,
    hold: c.var.hold,
    caller: await callerOf(c),
    sentry: c.var.sentry,
    clientSignal: c.req.raw.signal,
  };
}

export async function createChatCompletion(c: Context<AppEnv>, body: ChatRequest): Promise<Response> {
  if (c.var.auth.kind === "anonymous" && !c.var.config.ANONYMOUS_ALLOWED_MODELS.includes(body.model)) {
    throw forbidden(
      `Model '${body.model}' is not available for anonymous use; send an API key`,
      "anonymous_model_not_allowed",
    );
  }
  const appendToSession = await sessionAppender(c, body);
  const ctx = await inferenceContext(c);
  const cache = await responseCacheFor(c, ctx, body);
  const hit = await cache?.lookup();
  if (hit) {
    if (!appendToSession) return hit;
    // The client gets one copy of the stored bytes, the session append reads the other.
    c.var.defer(appendCachedAnswer(hit.clone(), appendToSession, body.model));
    return hit;
  }
  const response = await runChatCompletion(body, {
    ...ctx,
    onAnswered: bothAnswered(appendToSession, cache?.onAnswered),
  });
  return cache ? cache.capture(response) : response;
}
