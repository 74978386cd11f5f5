// The Anthropic front door's rendering of the shared pipeline's results: a Message, or Anthropic's
// SSE event sequence built chunk by chunk by the AnthropicStreamEncoder.
import type { TokenUsage } from "../../providers/types";
import type { ResponseFormat, StreamOutput } from "../response-format";
import { anthropicErrorType, anthropicMessageId, chatCompletionToAnthropic } from "./response-from-chat";
import { AnthropicStreamEncoder, encodeAnthropicEvent } from "./stream-to-anthropic";

const encoder = new TextEncoder();
const encodeAll = (events: Parameters<typeof encodeAnthropicEvent>[0][]) =>
  events.map((event) => encoder.encode(encodeAnthropicEvent(event)));

/** `requestedModel` is the model id the client sent: Anthropic clients expect it echoed back. */
export function anthropicFormat(requestedModel: string, requestId: string): ResponseFormat {
  return {
    endpoint: "messages",
    renderCompletion(completion, usage: TokenUsage, costUsd) {
      const message = chatCompletionToAnthropic(completion, usage, requestedModel);
      // Not in Anthropic's schema: the gateway's charge for this request, in USD (SDKs keep extra fields).
      return { ...message, usage: { ...message.usage, cost: costUsd } };
    },
    createStreamOutput(): StreamOutput {
      let streamEncoder: AnthropicStreamEncoder | undefined;
      const encoderFor = (upstreamId: string) => {
        streamEncoder ??= new AnthropicStreamEncoder({
          messageId: anthropicMessageId(upstreamId),
          model: requestedModel,
        });
        return streamEncoder;
      };
      return {
        chunk: (chunk) => encodeAll(encoderFor(chunk.id).chunk(chunk)),
        // Usage reaches Anthropic clients in message_delta, at the end.
        usageChunk: () => [],
        finish: (finishReason, usage, costUsd) =>
          encodeAll(
            encoderFor(requestId)
              .finish(finishReason, usage)
              .map((event) =>
                event.type === "message_delta" ? { ...event, usage: { ...event.usage, cost: costUsd } } : event,
              ),
          ),
        error: (error) => {
          const status = error.status >= 400 ? error.status : 502;
          return encodeAll([encoderFor(requestId).error(anthropicErrorType(status), error.message)]);
        },
      };
    },
  };
}
