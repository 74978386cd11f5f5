import { requireInferenceKey } from "../../middleware/auth";
import { keyRateLimit } from "../../middleware/key-rate-limit";
import { createRouter } from "../router";
import { embeddingsHandler } from "./embeddings.handlers";
import { embeddingsRoute } from "./embeddings.routes";

const router = createRouter();
router.use(embeddingsRoute.path, requireInferenceKey, keyRateLimit);

export const embeddingsRoutes = router.openapi(embeddingsRoute, (c) => embeddingsHandler(c, c.req.valid("json")));
