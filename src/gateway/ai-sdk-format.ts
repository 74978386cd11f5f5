// The AI-SDK front door's rendering (seed 001 L4686-4945): OpenAI's shapes trimmed to what the
// seed's AISDKChatResponse has, and a stream of `{"choices": [{"delta": {role, content}}]}` chunks
// ending with `{"choices": [{"finish_reason": …}]}` and [DONE].
import type { ChatCompletion } from "../providers/openai-types";
import type { ResponseFormat } from "./response-format";
import { sseData, sseDone } from "./sse";

export function aiSdkFormat(): ResponseFormat {
  return {
    endpoint: "ai-sdk",
    renderCompletion(completion: ChatCompletion, usage) {
      return {
        choices: completion.choices.map((choice) => ({
          message: { role: "assistant", content: choice.message?.content ?? "" },
          finish_reason: choice.finish_reason,
        })),
        usage: {
          prompt_tokens: usage.promptTokens,
          completion_tokens: usage.completionTokens,
          total_tokens: usage.promptTokens + usage.completionTokens,
        },
      };
    },
    createStreamOutput() {
      return {
        chunk(chunk) {
          const content = chunk.choices
            ?.map((choice) => (typeof choice.delta?.content === "string" ? choice.delta.content : ""))
            .join("");
          if (!content) return [];
          return [sseData(JSON.stringify({ choices: [{ delta: { role: "assistant", content } }] }))];
        },
        usageChunk: () => [],
        finish(finishReason) {
          return [sseData(JSON.stringify({ choices: [{ finish_reason: finishReason ?? "stop" }] })), sseDone()];
        },
        error: (error) => [
          sseData(JSON.stringify({ error: { message: error.message, type: "upstream_error", code: error.code } })),
        ],
      };
    },
  };
}
