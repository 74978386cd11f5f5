// Placeholder: counting HTTP requests into shared state for /metrics (issue 8 item 1) is being built.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

export const countHttpRequests = createMiddleware<AppEnv>(async (_c, next) => {
  await next();
});
