import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { requireApiKey, requireInferenceKey } from "../../middleware/auth";
import { keyRateLimit } from "../../middleware/key-rate-limit";
import type { AnthropicMessagesRequest } from "../../providers/anthropic/wire-types";
import { createRouter } from "../router";
import { countTokensHandler } from "./count-tokens.handlers";
import { countTokensRoute } from "./count-tokens.routes";
import { createMessage } from "./messages.handlers";
import { messagesRoute } from "./messages.routes";

/** Everything that fails on this route, auth and validation included, answers in Anthropic's error shape. */
const anthropicErrors = createMiddleware<AppEnv>(async (c, next) => {
  c.set("errorDialect", "anthropic-messages");
  await next();
});

const router = createRouter();
router.use(messagesRoute.path, anthropicErrors, requireInferenceKey, keyRateLimit);

// Token counting: authenticated and rate limited like /v1/messages; nothing is settled, so the key's
// use is recorded at authentication.
router.use(
  countTokensRoute.path,
  anthropicErrors,
  requireApiKey({ scope: "inference", onExpiredTrial: "forbidden" }),
  keyRateLimit,
);

export const messagesRoutes = router
  .openapi(messagesRoute, (c) =>
    // The schema checked the fields the translation relies on; the rest passes through loosely.
    createMessage(c, c.req.valid("json") as AnthropicMessagesRequest),
  )
  .openapi(countTokensRoute, (c) => countTokensHandler(c, c.req.valid("json")));
