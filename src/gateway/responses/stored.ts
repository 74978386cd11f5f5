// A finished response <-> its stored row: the conversation's items apart, the rest of the response
// object kept whole so GET /v1/responses/{id} returns it as it was.
import type { StoredResponse } from "../../db/stored-responses";
import type { ResponseObject } from "./types";

export function storedResponseOf(
  response: ResponseObject,
  context: { userId: number; requestId: string; inputItems: Record<string, unknown>[] },
): StoredResponse {
  const { id, object, created_at, status, model, output, usage, previous_response_id, ...rest } = response;
  return {
    id,
    userId: context.userId,
    requestId: context.requestId,
    model,
    status: status === "incomplete" ? "incomplete" : "completed",
    previousResponseId: previous_response_id,
    inputItems: context.inputItems,
    outputItems: output,
    usage,
    settings: rest,
    createdAt: new Date(created_at * 1000),
  };
}

export function responseFromStored(stored: StoredResponse): Record<string, unknown> {
  return {
    id: stored.id,
    object: "response",
    created_at: Math.floor(stored.createdAt.getTime() / 1000),
    status: stored.status,
    model: stored.model,
    output: stored.outputItems,
    usage: stored.usage,
    previous_response_id: stored.previousResponseId,
    ...stored.settings,
  };
}

/** The conversation a continuation starts from: the stored response's input, then its output. */
export const conversationOf = (stored: StoredResponse): Record<string, unknown>[] => [
  ...stored.inputItems,
  ...stored.outputItems,
];
