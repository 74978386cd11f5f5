// How a front door renders the pipeline's OpenAI-shaped results for its clients. The pipeline
// (dispatch, usage, pricing, settlement) is shared; only the rendering differs per front door.
import type { EventSourceMessage } from "eventsource-parser";
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from "../providers/openai-types";
import type { TokenUsage, UpstreamError } from "../providers/types";
import { sseData, sseDone } from "./sse";
import { toOpenAiUsage } from "./usage";

/** Renders one stream; called in order: chunk* then finish, or error. */
export interface StreamOutput {
  /**
   * A content chunk (never the usage-only one). `usage`/`costUsd` are set when the chunk carries usage;
   * `raw` is the upstream's own JSON of the chunk, when it has one.
   */
  chunk(
    chunk: ChatCompletionChunk,
    usage: TokenUsage | undefined,
    costUsd: number | undefined,
    raw?: string,
  ): Uint8Array[];
  /** The upstream's extra usage-only chunk, with the final usage priced. */
  usageChunk(chunk: ChatCompletionChunk, usage: TokenUsage, costUsd: number): Uint8Array[];
  finish(finishReason: string | null, usage: TokenUsage, costUsd: number): Uint8Array[];
  error(error: UpstreamError): Uint8Array[];
  /**
   * Pass-through formats forward each upstream event as it came (re-framed, data untouched unless
   * the format adds something); when set, the relay uses it instead of chunk/usageChunk.
   */
  passThroughEvent?(
    event: EventSourceMessage,
    usage: TokenUsage | undefined,
    costUsd: number | undefined,
  ): Uint8Array[];
}

export interface ResponseFormat {
  endpoint: "chat.completions" | "messages" | "ai-sdk" | "responses";
  /** `upstreamBody` is the provider's own response body, for pass-through formats. */
  renderCompletion(completion: ChatCompletion, usage: TokenUsage, costUsd: number, upstreamBody: unknown): unknown;
  createStreamOutput(): StreamOutput;
}

/** OpenAI chat completions: chunks as they come, the usage chunk only when asked for, then [DONE]. */
export function openAiFormat(request: ChatRequest): ResponseFormat {
  const clientWantsUsage = request.stream_options?.include_usage === true;
  return {
    endpoint: "chat.completions",
    renderCompletion(completion, usage, costUsd) {
      completion.usage = { ...(completion.usage ?? {}), ...toOpenAiUsage(usage, costUsd) };
      return completion;
    },
    createStreamOutput() {
      let last: ChatCompletionChunk | undefined;
      let usageSent = false;
      return {
        chunk(chunk, usage, costUsd, raw) {
          last = chunk;
          if (chunk.usage && usage && costUsd !== undefined) {
            chunk.usage = { ...chunk.usage, ...toOpenAiUsage(usage, costUsd) };
            usageSent = true;
            return [sseData(JSON.stringify(chunk))];
          }
          // Unchanged: the upstream's bytes go out as they came (no re-serialisation).
          return [sseData(raw ?? JSON.stringify(chunk))];
        },
        usageChunk(chunk, usage, costUsd) {
          if (!clientWantsUsage) return [];
          chunk.usage = { ...(chunk.usage ?? {}), ...toOpenAiUsage(usage, costUsd) };
          usageSent = true;
          return [sseData(JSON.stringify(chunk))];
        },
        finish(_finishReason, usage, costUsd) {
          // Providers that never send OpenAI's usage-only chunk (Anthropic, Gemini) still owe it to a
          // client that asked for it: build it from the final usage.
          if (!clientWantsUsage || usageSent) return [sseDone()];
          const usageChunk: ChatCompletionChunk = {
            id: last?.id ?? "chatcmpl-gateway",
            object: "chat.completion.chunk",
            created: last?.created ?? Math.floor(Date.now() / 1000),
            model: last?.model ?? request.model,
            choices: [],
            usage: toOpenAiUsage(usage, costUsd),
          };
          return [sseData(JSON.stringify(usageChunk)), sseDone()];
        },
        error: (error) => [
          sseData(
            JSON.stringify({
              error: { message: error.message, type: "upstream_error", code: error.code, param: error.param },
            }),
          ),
        ],
      };
    },
  };
}
