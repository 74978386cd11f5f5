// The one function that turns a failure into a response body, in the caller's dialect: OpenAI's
// envelope everywhere, Anthropic's `{"type":"error","error":{...}}` on the Anthropic front door.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { anthropicErrorBody } from "../gateway/messages/response-from-chat";
import { errorBody } from "../lib/errors";

export type ErrorDialect = "openai" | "anthropic-messages";

export function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: string,
  code: string | null = null,
  param: string | null = null,
): Response {
  if (c.get("errorDialect") === "anthropic-messages") return c.json(anthropicErrorBody(status, message), status);
  return c.json(errorBody(status, message, code, param), status);
}
