// The pipeline's OpenAI chat results -> Responses API shapes: output items, usage, status and the
// response object itself (shared by the JSON answer and the stream encoder).
import type { ChatCompletion } from "../../providers/openai-types";
import type { TokenUsage } from "../../providers/types";
import {
  type FunctionCallItem,
  type ItemStatus,
  type OutputItem,
  type OutputMessageItem,
  type ResponseHeader,
  type ResponseObject,
  type ResponsesUsage,
  responsesId,
} from "./types";

export function responsesUsage(usage: TokenUsage, costUsd: number): ResponsesUsage {
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens },
    output_tokens: usage.completionTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.promptTokens + usage.completionTokens,
    cost: costUsd,
  };
}

export interface Outcome {
  status: "completed" | "incomplete";
  incompleteDetails: ResponseObject["incomplete_details"];
}

/** A response cut short (the token limit, a content filter) is `incomplete`, as OpenAI reports it. */
export function outcomeOf(finishReason: string | null): Outcome {
  if (finishReason === "length") return { status: "incomplete", incompleteDetails: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter") {
    return { status: "incomplete", incompleteDetails: { reason: "content_filter" } };
  }
  return { status: "completed", incompleteDetails: null };
}

export function messageItem(id: string, text: string, status: ItemStatus): OutputMessageItem {
  return {
    id,
    type: "message",
    role: "assistant",
    status,
    content: [{ type: "output_text", text, annotations: [] }],
  };
}

export function functionCallItem(
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: ItemStatus,
): FunctionCallItem {
  return { id, type: "function_call", call_id: call.callId, name: call.name, arguments: call.arguments, status };
}

/** The first choice's text (or refusal) as one message item, then one function_call item per tool call. */
export function outputFromCompletion(completion: ChatCompletion, status: ItemStatus): OutputItem[] {
  const message = completion.choices[0]?.message;
  const output: OutputItem[] = [];
  if (!message) return output;
  if (typeof message.content === "string" && message.content !== "") {
    output.push(messageItem(responsesId("msg"), message.content, status));
  } else if (typeof message.refusal === "string" && message.refusal !== "") {
    output.push({
      id: responsesId("msg"),
      type: "message",
      role: "assistant",
      status,
      content: [{ type: "refusal", refusal: message.refusal }],
    });
  }
  for (const call of message.tool_calls ?? []) {
    output.push(
      functionCallItem(
        responsesId("fc"),
        { callId: call.id || responsesId("call"), name: call.function.name, arguments: call.function.arguments },
        "completed",
      ),
    );
  }
  return output;
}

export function buildResponse(
  header: ResponseHeader,
  state: {
    status: ResponseObject["status"];
    output: OutputItem[];
    usage: ResponsesUsage | null;
    incompleteDetails?: ResponseObject["incomplete_details"];
    error?: ResponseObject["error"];
  },
): ResponseObject {
  const finished = state.status === "completed" || state.status === "incomplete";
  return {
    id: header.id,
    object: "response",
    created_at: header.createdAt,
    completed_at: state.status === "completed" ? Math.floor(Date.now() / 1000) : null,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    model: header.model,
    output: state.output,
    previous_response_id: header.previousResponseId,
    usage: finished ? state.usage : null,
    ...header.settings,
  };
}
