import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

/** A caller's id is kept when it is a sane token, so traces join up across services. */
const acceptableId = /^[\w.:-]{1,128}$/;

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && acceptableId.test(incoming) ? incoming : `req_${crypto.randomUUID().replaceAll("-", "")}`;
  c.set("requestId", id);
  c.header("x-request-id", id);
  await next();
  // Handlers that build their own Response (streams) bypass c.header(): set it on the final response.
  if (!c.res.headers.has("x-request-id")) c.res.headers.set("x-request-id", id);
});
