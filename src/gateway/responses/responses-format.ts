// The Responses front door's rendering of the shared pipeline's results: a response object, or the
// typed event stream (`event: <type>` + `data: <event>`, no [DONE], as OpenAI's own stream ends).
import type { ResponseFormat, StreamOutput } from "../response-format";
import { sseData } from "../sse";
import { buildResponse, outcomeOf, outputFromCompletion, responsesUsage } from "./response-from-chat";
import { ResponsesStreamEncoder, type ResponsesStreamEvent } from "./stream-events";
import type { ResponseHeader, ResponseObject } from "./types";

const encodeAll = (events: ResponsesStreamEvent[]) => events.map((event) => sseData(JSON.stringify(event), event.type));

/**
 * `onResponse` is told the finished response (completed or incomplete, never failed), once, as it is
 * rendered: the front door stores it from there.
 */
export function responsesFormat(
  header: ResponseHeader,
  onResponse: (response: ResponseObject) => void,
): ResponseFormat {
  return {
    endpoint: "responses",
    renderCompletion(completion, usage, costUsd) {
      const outcome = outcomeOf(completion.choices[0]?.finish_reason ?? null);
      const response = buildResponse(header, {
        status: outcome.status,
        output: outputFromCompletion(completion, outcome.status === "completed" ? "completed" : "incomplete"),
        usage: responsesUsage(usage, costUsd),
        incompleteDetails: outcome.incompleteDetails,
      });
      onResponse(response);
      return response;
    },
    createStreamOutput(): StreamOutput {
      const encoder = new ResponsesStreamEncoder(header);
      return {
        chunk: (chunk) => encodeAll(encoder.chunk(chunk)),
        // Usage reaches Responses clients in response.completed, at the end.
        usageChunk: () => [],
        finish(finishReason, usage, costUsd) {
          const { events, response } = encoder.finish(finishReason, usage, costUsd);
          onResponse(response);
          return encodeAll(events);
        },
        error: (error) => encodeAll(encoder.fail(error.code ?? "server_error", error.message)),
      };
    },
  };
}
