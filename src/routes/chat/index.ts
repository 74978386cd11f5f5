import { requireApiKey } from "../../middleware/auth";
import { keyRateLimit } from "../../middleware/key-rate-limit";
import { createRouter } from "../router";
import { createChatCompletion } from "./chat.handlers";
import { chatCompletionsAliasRoute, chatCompletionsRoute } from "./chat.routes";

const router = createRouter();
const inferenceAuth = requireApiKey({ scope: "inference", onExpiredTrial: "forbidden" });
router.use(chatCompletionsRoute.path, inferenceAuth, keyRateLimit);
router.use(chatCompletionsAliasRoute.path, inferenceAuth, keyRateLimit);

// The gateway builds the Response itself (JSON or an event stream); the OpenAPI document describes both.
export const chatRoutes = router
  .openapi(chatCompletionsRoute, (c) => createChatCompletion(c, c.req.valid("json")))
  .openapi(chatCompletionsAliasRoute, (c) => createChatCompletion(c, c.req.valid("json")));
