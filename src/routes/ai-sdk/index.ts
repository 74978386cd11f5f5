import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { aiSdkFormat } from "../../gateway/ai-sdk-format";
import { runInference } from "../../gateway/chat-completion";
import { requireInferenceKey } from "../../middleware/auth";
import { keyRateLimit } from "../../middleware/key-rate-limit";
import type { ChatRequest } from "../../providers/openai-types";
import { inferenceContext } from "../chat/chat.handlers";
import { createRouter } from "../router";
import { type AiSdkRequestSchema, aiSdkCompletionsRoute, aiSdkRoute } from "./ai-sdk.routes";

/** The AI SDK's request is a subset of OpenAI's: nulls dropped, the rest passed as is. */
function toChatRequest(body: z.infer<typeof AiSdkRequestSchema>): ChatRequest {
  const request: ChatRequest = { model: body.model, messages: body.messages, stream: body.stream === true };
  for (const field of ["max_tokens", "temperature", "top_p", "frequency_penalty", "presence_penalty"] as const) {
    const value = body[field];
    if (value !== null && value !== undefined) request[field] = value;
  }
  // Usage on streams, so billing uses the provider's count when it has one.
  if (request.stream) request.stream_options = { include_usage: true };
  return request;
}

async function completeForAiSdk(c: Context<AppEnv>, body: z.infer<typeof AiSdkRequestSchema>): Promise<Response> {
  return runInference({ request: toChatRequest(body), format: aiSdkFormat() }, await inferenceContext(c));
}

const router = createRouter();
// The seed answers an expired trial with 403 here, as on the other inference routes.
for (const route of [aiSdkRoute, aiSdkCompletionsRoute]) {
  router.use(route.path, requireInferenceKey, keyRateLimit);
}

export const aiSdkRoutes = router
  .openapi(aiSdkRoute, (c) => completeForAiSdk(c, c.req.valid("json")))
  .openapi(aiSdkCompletionsRoute, (c) => completeForAiSdk(c, c.req.valid("json")));
