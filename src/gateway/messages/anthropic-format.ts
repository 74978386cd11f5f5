// The Anthropic front door's rendering of the shared pipeline's results: a Message, or Anthropic's
// SSE event sequence built chunk by chunk by the AnthropicStreamEncoder.

import { isRecord } from "../../lib/json";
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

/**
 * For a provider that speaks Anthropic's Messages API itself: its message and events reach the client
 * as they came (event data untouched), with the gateway's charge added to the usage (message_delta in
 * streams). The request's model id is echoed as the client sent it.
 */
export function anthropicPassThroughFormat(requestedModel: string): ResponseFormat {
  return {
    endpoint: "messages",
    renderCompletion(_completion, _usage, costUsd, upstreamBody) {
      if (!isRecord(upstreamBody)) return upstreamBody;
      const usage = isRecord(upstreamBody.usage) ? upstreamBody.usage : {};
      return { ...upstreamBody, model: requestedModel, usage: { ...usage, cost: costUsd } };
    },
    createStreamOutput(): StreamOutput {
      return {
        chunk: () => [],
        usageChunk: () => [],
        // The provider's own message_stop / error events were already forwarded.
        finish: () => [],
        error: () => [],
        passThroughEvent(event, _usage, costUsd) {
          const name = event.event ?? "message";
          if (name === "message_delta" && costUsd !== undefined) {
            const data: unknown = JSON.parse(event.data);
            if (isRecord(data)) {
              const usage = isRecord(data.usage) ? data.usage : {};
              return [
                encoder.encode(
                  `event: ${name}\ndata: ${JSON.stringify({ ...data, usage: { ...usage, cost: costUsd } })}\n\n`,
                ),
              ];
            }
          }
          return [encoder.encode(`event: ${name}\ndata: ${event.data}\n\n`)];
        },
      };
    },
  };
}
