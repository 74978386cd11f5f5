import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteStoredResponse, findStoredResponse, insertStoredResponse } from "../../db/stored-responses";
import type { AppEnv } from "../../env";
import { runInference } from "../../gateway/chat-completion";
import {
  inputItemsOf,
  ResponsesRequestError,
  responseSettings,
  responsesRequestToChat,
} from "../../gateway/responses/request-to-chat";
import { responsesFormat } from "../../gateway/responses/responses-format";
import { conversationOf, responseFromStored, storedResponseOf } from "../../gateway/responses/stored";
import {
  type ResponseHeader,
  type ResponseObject,
  type ResponsesRequest,
  responsesId,
} from "../../gateway/responses/types";
import { ApiError, badRequest } from "../../lib/errors";
import { currentUser } from "../../middleware/auth";
import { inferenceContext } from "../chat/chat.handlers";
import { type deleteResponseRoute, type getResponseRoute, ResponseObjectSchema } from "./responses.routes";

const responseNotFound = (id: string, param: string | null) =>
  new ApiError(404, `${param ? "Previous response" : "Response"} with id '${id}' not found`, "not_found", param);

/**
 * A streamed answer ends only once its response is stored (the client has response.completed already),
 * so a follow-up with previous_response_id never races the write; a JSON answer waits for it likewise.
 * A failed write is logged (deferred) and loses only the stored copy.
 */
async function afterStored(response: Response, stored: () => Promise<void> | undefined): Promise<Response> {
  const settled = async () => {
    await stored()?.catch(() => undefined);
  };
  if (!response.body || !response.headers.get("content-type")?.includes("text/event-stream")) {
    await settled();
    return response;
  }
  const body = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: settled }));
  return new Response(body, { status: response.status, headers: response.headers });
}

export async function createResponse(c: Context<AppEnv>, body: ResponsesRequest): Promise<Response> {
  const userId = currentUser(c).user.id;
  const previousId = body.previous_response_id ?? null;
  const previous = previousId === null ? undefined : await findStoredResponse(c.var.sql(), userId, previousId);
  if (previousId !== null && !previous) throw responseNotFound(previousId, "previous_response_id");
  const previousItems = previous ? conversationOf(previous) : [];
  let chatRequest: ReturnType<typeof responsesRequestToChat>;
  try {
    chatRequest = responsesRequestToChat(body, previousItems);
  } catch (error) {
    if (error instanceof ResponsesRequestError) throw badRequest(error.message, "invalid_request", error.param);
    throw error;
  }
  const header: ResponseHeader = {
    id: responsesId("resp"),
    createdAt: Math.floor(Date.now() / 1000),
    model: body.model,
    previousResponseId: previous?.id ?? null,
    settings: responseSettings(body),
  };
  let stored: Promise<void> | undefined;
  const store = (response: ResponseObject) => {
    if (!header.settings.store) return;
    const inputItems = [...previousItems, ...inputItemsOf(body.input)];
    stored = insertStoredResponse(
      c.var.sql(),
      storedResponseOf(response, { userId, requestId: c.var.requestId, inputItems }),
    );
    c.var.defer(stored);
  };
  const response = await runInference(
    { request: chatRequest, format: responsesFormat(header, store) },
    await inferenceContext(c),
  );
  return afterStored(response, () => stored);
}

export const getResponse: RouteHandler<typeof getResponseRoute, AppEnv> = async (c) => {
  const { response_id: id } = c.req.valid("param");
  const stored = await findStoredResponse(c.var.sql(), currentUser(c).user.id, id);
  if (!stored) throw responseNotFound(id, null);
  return c.json(ResponseObjectSchema.parse(responseFromStored(stored)), 200);
};

export const deleteResponse: RouteHandler<typeof deleteResponseRoute, AppEnv> = async (c) => {
  const { response_id: id } = c.req.valid("param");
  if (!(await deleteStoredResponse(c.var.sql(), currentUser(c).user.id, id))) throw responseNotFound(id, null);
  return c.json({ id, object: "response.deleted" as const, deleted: true as const }, 200);
};
