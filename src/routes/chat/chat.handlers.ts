import type { Context } from "hono";
import { cachedRateLimitOverride } from "../../db/rate-limit-configs";
import type { AppEnv } from "../../env";
import { runChatCompletion } from "../../gateway/chat-completion";
import type { InferenceContext } from "../../gateway/context";
import { currentUser } from "../../middleware/auth";
import type { ChatRequest } from "../../providers/openai-types";

export async function inferenceContext(c: Context<AppEnv>): Promise<InferenceContext> {
  const { user, key } = currentUser(c);
  // Read through the same in-isolate cache the rate-limit middleware just filled.
  const override = await cachedRateLimitOverride(c.var.db, key.id, (error) => c.var.sentry?.captureException(error));
  return {
    requestId: c.var.requestId,
    env: c.env,
    config: c.var.config,
    db: c.var.db,
    defer: c.var.defer,
    hold: c.var.hold,
    caller: {
      userId: user.id,
      apiKeyId: key.id,
      allowedModels: key.allowedModels,
      concurrencyLimit: override?.concurrencyLimit ?? null,
    },
    sentry: c.var.sentry,
    clientSignal: c.req.raw.signal,
  };
}

export async function createChatCompletion(c: Context<AppEnv>, body: ChatRequest): Promise<Response> {
  return runChatCompletion(body, await inferenceContext(c));
}
