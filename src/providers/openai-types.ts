// OpenAI chat-completions wire types: the gateway's internal lingua franca. Every adapter maps its
// provider to and from these; the front doors speak them (or translate from them).

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; [key: string]: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: number; [key: string]: unknown } | null;
  /** Added by the gateway: USD cost of this request. */
  cost?: number;
  [key: string]: unknown;
}

export interface OpenAiToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface OpenAiMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: OpenAiToolCall[];
  reasoning_content?: string | null;
  refusal?: string | null;
  [key: string]: unknown;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: { index: number; message: OpenAiMessage; finish_reason: string | null; logprobs?: unknown }[];
  usage?: OpenAiUsage | null;
  [key: string]: unknown;
}

/** A streamed tool call fragment: the first one names the call, later ones carry argument text. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionDelta {
  role?: "assistant";
  content?: string | null;
  reasoning_content?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[];
  [key: string]: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: {
    index: number;
    delta: ChatCompletionDelta;
    finish_reason: string | null;
    logprobs?: unknown;
  }[];
  usage?: OpenAiUsage | null;
  [key: string]: unknown;
}

/** A chat-completions request as validated at the front door; unknown fields pass through. */
export interface ChatRequest {
  model: string;
  messages: Record<string, unknown>[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [key: string]: unknown } | null;
  [key: string]: unknown;
}
