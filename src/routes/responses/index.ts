import { requireApiKey, requireInferenceKey } from "../../middleware/auth";
import { keyRateLimit } from "../../middleware/key-rate-limit";
import { createRouter } from "../router";
import { createResponse, deleteResponse, getResponse } from "./responses.handlers";
import { createResponseRoute, deleteResponseRoute, getResponseRoute } from "./responses.routes";

const router = createRouter();
// Creating is inference (as /v1/chat/completions: an expired trial is 403, the use counted at settlement);
// reading or deleting a stored response is not.
router.use(createResponseRoute.path, requireInferenceKey, keyRateLimit);
router.use("/v1/responses/:response_id", requireApiKey({ scope: "inference", onExpiredTrial: "allow" }), keyRateLimit);

export const responsesRoutes = router
  // The gateway builds the Response itself (JSON or an event stream); the OpenAPI document describes both.
  .openapi(createResponseRoute, (c) => createResponse(c, c.req.valid("json")))
  .openapi(getResponseRoute, getResponse)
  .openapi(deleteResponseRoute, deleteResponse);
