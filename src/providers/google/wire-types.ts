// Gemini generateContent wire types (v1beta REST, camelCase JSON): the request the adapter sends and
// the response (or SSE fragment) it reads. Only the fields the adapter writes or reads are typed.
import { isRecord } from "../../lib/json";

export { isRecord };

export type GeminiRole = "user" | "model";

export interface GeminiInlineData {
  mimeType: string;
  /** Base64 bytes. */
  data: string;
}

export interface GeminiFileData {
  mimeType?: string;
  fileUri: string;
}

export interface GeminiFunctionCall {
  name: string;
  args?: Record<string, unknown>;
  id?: string;
}

export interface GeminiFunctionResponse {
  name: string;
  /** Must be a JSON object (a protobuf Struct). */
  response: Record<string, unknown>;
  id?: string;
}

/** One part of a turn; exactly one of the data fields is set. */
export interface GeminiPart {
  text?: string;
  inlineData?: GeminiInlineData;
  fileData?: GeminiFileData;
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
  /** A thought summary rather than answer text (only with thinkingConfig.includeThoughts). */
  thought?: boolean;
  /** Opaque reasoning state; Gemini 3 requires it back on the function calls it was sent with. */
  thoughtSignature?: string;
}

export interface GeminiContent {
  /** Absent on systemInstruction. */
  role?: GeminiRole;
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface GeminiTool {
  functionDeclarations?: GeminiFunctionDeclaration[];
}

export type GeminiFunctionCallingMode = "AUTO" | "ANY" | "NONE" | "VALIDATED";

export interface GeminiToolConfig {
  functionCallingConfig: {
    mode: GeminiFunctionCallingMode;
    /** Only with mode ANY: the functions the model may call. */
    allowedFunctionNames?: string[];
  };
}

export interface GeminiThinkingConfig {
  includeThoughts?: boolean;
  /** Gemini 2.5: a token budget (0 disables thinking, -1 lets the model decide). */
  thinkingBudget?: number;
  /** Gemini 3: "minimal" | "low" | "medium" | "high". */
  thinkingLevel?: string;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  responseMimeType?: string;
  /** OpenAPI-subset schema (uppercase types); mutually exclusive with responseJsonSchema. */
  responseSchema?: Record<string, unknown>;
  /** Plain JSON Schema. */
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: GeminiThinkingConfig;
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  /** A `cachedContents/...` resource used as the prompt prefix. */
  cachedContent?: string;
}

export type GeminiFinishReason =
  | "FINISH_REASON_UNSPECIFIED"
  | "STOP"
  | "MAX_TOKENS"
  | "SAFETY"
  | "RECITATION"
  | "LANGUAGE"
  | "OTHER"
  | "BLOCKLIST"
  | "PROHIBITED_CONTENT"
  | "SPII"
  | "MALFORMED_FUNCTION_CALL"
  | "IMAGE_SAFETY"
  | "UNEXPECTED_TOOL_CALL"
  | (string & {});

export interface GeminiCandidate {
  content?: GeminiContent;
  finishReason?: GeminiFinishReason;
  /** e.g. "Model generated function call(s)." */
  finishMessage?: string;
  index?: number;
}

/**
 * Token counts. promptTokenCount includes cachedContentTokenCount; candidatesTokenCount excludes
 * thoughtsTokenCount; totalTokenCount = prompt + candidates + thoughts.
 */
export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount?: number;
}

/** A whole response, or one SSE fragment of a streamed one (same shape, partial content). */
export interface GeminiGenerateContentResponse {
  candidates?: GeminiCandidate[];
  /** Set instead of candidates when the prompt itself was blocked. */
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

/** Google's error body: `{"error": {code, message, status, details}}`. */
export interface GoogleErrorBody {
  error: {
    /** The HTTP status. */
    code?: number;
    message?: string;
    /** The canonical gRPC code name, e.g. "RESOURCE_EXHAUSTED". */
    status?: string;
    /** google.rpc detail messages, told apart by "@type" (RetryInfo carries retryDelay like "48s"). */
    details?: Record<string, unknown>[];
  };
}

/**
 * Where Google's own OpenAI-compatible endpoint carries a function call's thought signature on an
 * OpenAI tool call; the adapter uses the same place so clients that echo tool calls back keep it.
 */
export interface GoogleToolCallExtra {
  extra_content?: { google?: { thought_signature?: string } };
}
