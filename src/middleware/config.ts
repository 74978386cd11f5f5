import { createMiddleware } from "hono/factory";
import { type AppEnv, readConfig } from "../env";

/** Config is parsed once per isolate; a bad variable fails every request with a message naming it. */
export const config = createMiddleware<AppEnv>(async (c, next) => {
  c.set("config", readConfig(c.env));
  await next();
});
