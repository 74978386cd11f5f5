// Anthropic Messages API wire types (POST /v1/messages, anthropic-version 2023-06-01): the request
// body we send, the message we get back, and the events of its stream. Only what the gateway reads
// or writes is typed precisely; fields Anthropic may add later are tolerated at runtime.

export interface AnthropicCacheControl {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

// ---- Content blocks ----

export interface AnthropicTextBlock {
  type: "text";
  text: string;
  cache_control?: AnthropicCacheControl;
  /** Present on responses that cite documents; not produced by the gateway. */
  citations?: unknown[] | null;
}

export interface AnthropicBase64ImageSource {
  type: "base64";
  /** image/jpeg, image/png, image/gif or image/webp. */
  media_type: string;
  data: string;
}

export interface AnthropicUrlImageSource {
  type: "url";
  url: string;
}

export type AnthropicImageSource = AnthropicBase64ImageSource | AnthropicUrlImageSource;

export interface AnthropicImageBlock {
  type: "image";
  source: AnthropicImageSource;
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  /** The tool's arguments: always a JSON object. */
  input: Record<string, unknown>;
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content?: string | (AnthropicTextBlock | AnthropicImageBlock)[];
  is_error?: boolean;
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicThinkingBlock {
  type: "thinking";
  thinking: string;
  /** Opaque; must be sent back unchanged with the block in later turns. */
  signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: "redacted_thinking";
  /** Encrypted reasoning, opaque to clients. */
  data: string;
}

/** Blocks a request message may carry. */
export type AnthropicRequestContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

/** Blocks a response message carries. */
export type AnthropicResponseContentBlock =
  | AnthropicTextBlock
  | AnthropicToolUseBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

// ---- Request ----

export interface AnthropicMessageParam {
  role: "user" | "assistant";
  content: string | AnthropicRequestContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  /** JSON Schema of the tool's input (an object schema). */
  input_schema: Record<string, unknown>;
  cache_control?: AnthropicCacheControl;
}

export type AnthropicToolChoice =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export type AnthropicThinkingConfig =
  | { type: "enabled"; budget_tokens: number; display?: string }
  | { type: "adaptive"; display?: string }
  | { type: "disabled" };

export interface AnthropicMetadata {
  /** An opaque id of the end user, for Anthropic's abuse detection. */
  user_id?: string;
}

export interface AnthropicMessagesRequest {
  model: string;
  /** Required by Anthropic (no server-side default). */
  max_tokens: number;
  messages: AnthropicMessageParam[];
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stream?: boolean;
  thinking?: AnthropicThinkingConfig;
  metadata?: AnthropicMetadata;
}

// ---- Response ----

export type AnthropicStopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

/** Token counts. `input_tokens` excludes cache reads and writes, unlike OpenAI's prompt_tokens. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
  /** Newer models: the part of output_tokens spent thinking. */
  output_tokens_details?: { thinking_tokens?: number } | null;
  service_tier?: string | null;
  inference_geo?: string | null;
}

export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicResponseContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

// ---- Errors ----

export interface AnthropicErrorDetail {
  /** invalid_request_error, authentication_error, rate_limit_error, overloaded_error, ... */
  type: string;
  message: string;
}

export interface AnthropicErrorBody {
  type: "error";
  error: AnthropicErrorDetail;
  request_id?: string;
}

// ---- Stream events ----

export interface AnthropicMessageStartEvent {
  type: "message_start";
  /** The message so far: empty content, stop_reason null, input usage and an early output count. */
  message: AnthropicMessage;
}

export interface AnthropicContentBlockStartEvent {
  type: "content_block_start";
  index: number;
  content_block: AnthropicResponseContentBlock;
}

export interface AnthropicTextDelta {
  type: "text_delta";
  text: string;
}

export interface AnthropicInputJsonDelta {
  type: "input_json_delta";
  /** A fragment of the tool input's JSON text; the first one is often "". */
  partial_json: string;
}

export interface AnthropicThinkingDelta {
  type: "thinking_delta";
  thinking: string;
}

export interface AnthropicSignatureDelta {
  type: "signature_delta";
  signature: string;
}

export type AnthropicContentBlockDelta =
  | AnthropicTextDelta
  | AnthropicInputJsonDelta
  | AnthropicThinkingDelta
  | AnthropicSignatureDelta;

export interface AnthropicContentBlockDeltaEvent {
  type: "content_block_delta";
  index: number;
  delta: AnthropicContentBlockDelta;
}

export interface AnthropicContentBlockStopEvent {
  type: "content_block_stop";
  index: number;
}

/** Final counts. Older recordings carry only output_tokens; newer ones repeat input and cache counts. */
export interface AnthropicMessageDeltaUsage {
  output_tokens: number;
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

export interface AnthropicMessageDeltaEvent {
  type: "message_delta";
  delta: { stop_reason: AnthropicStopReason | null; stop_sequence: string | null };
  usage: AnthropicMessageDeltaUsage;
}

export interface AnthropicMessageStopEvent {
  type: "message_stop";
}

export interface AnthropicPingEvent {
  type: "ping";
}

export interface AnthropicErrorEvent {
  type: "error";
  error: AnthropicErrorDetail;
}

export type AnthropicStreamEvent =
  | AnthropicMessageStartEvent
  | AnthropicContentBlockStartEvent
  | AnthropicContentBlockDeltaEvent
  | AnthropicContentBlockStopEvent
  | AnthropicMessageDeltaEvent
  | AnthropicMessageStopEvent
  | AnthropicPingEvent
  | AnthropicErrorEvent;
