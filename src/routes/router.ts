// Every router is an OpenAPIHono with the same validation hook, so bad input always gets our envelope.

import type { Hook } from "@hono/zod-openapi";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { errorResponse } from "./error-response";

type AnyHook = Hook<unknown, AppEnv, string, unknown>;

export const validationHook: AnyHook = (result, c) => {
  if (result.success) return;
  const [issue] = result.error.issues;
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : null;
  const where = result.target === "json" ? "body" : result.target;
  const message = issue ? `Invalid ${where}${param ? ` field '${param}'` : ""}: ${issue.message}` : `Invalid ${where}`;
  return errorResponse(c, 400, message, "invalid_request", param);
};

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
