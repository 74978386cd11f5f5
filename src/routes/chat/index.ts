import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { presentedKey, requireInferenceKey } from "../../middleware/auth";
import { limitPerIp } from "../../middleware/ip-rate-limit";
import { keyRateLimit } from "../../middleware/key-rate-limit";
import { createRouter } from "../router";
import { createChatCompletion } from "./chat.handlers";
import { chatCompletionsAliasRoute, chatCompletionsRoute } from "./chat.routes";

const router = createRouter();
const anonymousLimit = limitPerIp({
  name: "anonymous-chat",
  limit: (config) => config.ANONYMOUS_RATE_LIMIT_PER_MINUTE,
  window: "1 m",
});

/** A key when one is presented; otherwise anonymous use of the allowed models, limited per IP. */
const keyOrAnonymous = createMiddleware<AppEnv>(async (c, next) => {
  if (presentedKey(c) || c.var.config.ANONYMOUS_ALLOWED_MODELS.length === 0) {
    return requireInferenceKey(c, async () => {
      await keyRateLimit(c, next);
    });
  }
  c.set("auth", { kind: "anonymous", isAdmin: false });
  return anonymousLimit(c, next);
});

router.use(chatCompletionsRoute.path, keyOrAnonymous);
router.use(chatCompletionsAliasRoute.path, keyOrAnonymous);

// The gateway builds the Response itself (JSON or an event stream); the OpenAPI document describes both.
export const chatRoutes = router
  .openapi(chatCompletionsRoute, (c) => createChatCompletion(c, c.req.valid("json")))
  .openapi(chatCompletionsAliasRoute, (c) => createChatCompletion(c, c.req.valid("json")));
