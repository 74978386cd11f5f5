import { createMiddleware } from "hono/factory";
import { Toucan } from "toucan-js";
import type { AppEnv } from "../env";

/** One Toucan client per request, only when SENTRY_DSN is set. */
export const sentry = createMiddleware<AppEnv>(async (c, next) => {
  const dsn = c.var.config.SENTRY_DSN;
  if (dsn) {
    const client = new Toucan({
      dsn,
      request: c.req.raw,
      context: c.executionCtx,
      environment: c.var.config.ENVIRONMENT,
      requestDataOptions: { allowedHeaders: ["user-agent", "x-request-id", "content-type"] },
    });
    client.setTag("request_id", c.var.requestId);
    c.set("sentry", client);
  } else {
    c.set("sentry", undefined);
  }
  await next();
});
