import type { Context } from "hono";
import { cachedRateLimitOverride } from "../../db/rate-limit-configs";
import type { AppEnv } from "../../env";
import { runChatCompletion } from "../../gateway/chat-completion";
import type { InferenceContext } from "../../gateway/context";
import { forbidden } from "../../lib/errors";
import { currentUser } from "../../middleware/auth";
import type { ChatRequest } from "../../providers/openai-types";

export async function inferenceContext(c: Context<AppEnv>): Promise<InferenceContext> {
  if (c.var.auth.kind === "anonymous") {
    return {
      requestId: c.var.requestId,
      env: c.env,
      config: c.var.config,
      db: c.var.db,
      defer: c.var.defer,
      hold: c.var.hold,
      caller: {
        userId: null,
        apiKeyId: null,
        allowedModels: c.var.config.ANONYMOUS_ALLOWED_MODELS,
        concurrencyLimit: null,
      },
      sentry: c.var.sentry,
      clientSignal: c.req.raw.signal,
    };
  }
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
  if (c.var.auth.kind === "anonymous" && !c.var.config.ANONYMOUS_ALLOWED_MODELS.includes(body.model)) {
    throw forbidden(
      `Model '${body.model}' is not available for anonymous use; send an API key`,
      "anonymous_model_not_allowed",
    );
  }
  return runChatCompletion(body, await inferenceContext(c));
}
