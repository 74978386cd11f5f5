import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { runChatCompletion } from "../../gateway/chat-completion";
import type { InferenceContext } from "../../gateway/context";
import { currentUser } from "../../middleware/auth";
import type { ChatRequest } from "../../providers/openai-types";

export function inferenceContext(c: Context<AppEnv>): InferenceContext {
  const { user, key } = currentUser(c);
  return {
    requestId: c.var.requestId,
    env: c.env,
    config: c.var.config,
    db: c.var.db,
    defer: c.var.defer,
    hold: c.var.hold,
    caller: { userId: user.id, apiKeyId: key.id, allowedModels: key.allowedModels },
    sentry: c.var.sentry,
    clientSignal: c.req.raw.signal,
  };
}

export async function createChatCompletion(c: Context<AppEnv>, body: ChatRequest): Promise<Response> {
  return runChatCompletion(body, inferenceContext(c));
}
