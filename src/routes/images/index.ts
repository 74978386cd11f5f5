import { requireInferenceKey } from "../../middleware/auth";
import { keyRateLimit } from "../../middleware/key-rate-limit";
import { createRouter } from "../router";
import { imagesHandler } from "./images.handlers";
import { imagesRoute } from "./images.routes";

const router = createRouter();
router.use(imagesRoute.path, requireInferenceKey, keyRateLimit);

export const imagesRoutes = router.openapi(imagesRoute, (c) => imagesHandler(c, c.req.valid("json")));
