import { requireApiKey } from "../../middleware/auth";
import { createRouter } from "../router";
import { getGeneration } from "./generation.handlers";
import { generationRoute } from "./generation.routes";

const router = createRouter();
router.use(generationRoute.path, requireApiKey({ scope: "inference", onExpiredTrial: "allow" }));

export const generationRoutes = router.openapi(generationRoute, getGeneration);
