// OpenAI Responses API wire shapes, as far as the gateway produces or reads them (the `openai`
// package's resources/responses/responses.d.ts has the full definitions).

/** A request as the front door validated it: known fields checked, unknown ones ignored. */
export interface ResponsesRequest {
  model: string;
  input?: string | Record<string, unknown>[];
  instructions?: string | null;
  tools?: Record<string, unknown>[];
  tool_choice?: string | Record<string, unknown>;
  temperature?: number | null;
  top_p?: number | null;
  max_output_tokens?: number | null;
  stream?: boolean | null;
  store?: boolean | null;
  metadata?: Record<string, string> | null;
  previous_response_id?: string | null;
  text?: { format?: Record<string, unknown>; [key: string]: unknown } | null;
  reasoning?: { effort?: string | null; [key: string]: unknown } | null;
  parallel_tool_calls?: boolean | null;
  user?: string;
  [key: string]: unknown;
}

// Type aliases rather than interfaces: they are assignable to Record<string, unknown> (stored as jsonb).
export type OutputTextPart = {
  type: "output_text";
  text: string;
  annotations: unknown[];
};

export type RefusalPart = {
  type: "refusal";
  refusal: string;
};

export type ItemStatus = "in_progress" | "completed" | "incomplete";

export type OutputMessageItem = {
  id: string;
  type: "message";
  role: "assistant";
  status: ItemStatus;
  content: (OutputTextPart | RefusalPart)[];
};

export type FunctionCallItem = {
  id: string;
  type: "function_call";
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
};

export type OutputItem = OutputMessageItem | FunctionCallItem;

export type ResponsesUsage = {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
  /** Not in OpenAI's schema: the gateway's charge for this request, USD (SDKs keep extra fields). */
  cost: number;
};

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

/** What a response echoes of its request (stored with it, returned again by GET). */
export type ResponseSettings = {
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: Record<string, string>;
  parallel_tool_calls: boolean;
  reasoning: { effort: string | null; summary: null };
  store: boolean;
  temperature: number;
  text: { format: Record<string, unknown>; [key: string]: unknown };
  tool_choice: string | Record<string, unknown>;
  tools: Record<string, unknown>[];
  top_p: number;
  truncation: "disabled";
  user: string | null;
};

export type ResponseObject = ResponseSettings & {
  id: string;
  object: "response";
  created_at: number;
  completed_at: number | null;
  status: ResponseStatus;
  background: false;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  model: string;
  output: OutputItem[];
  previous_response_id: string | null;
  usage: ResponsesUsage | null;
};

/** Everything a response needs besides its output, known before the upstream answers. */
export interface ResponseHeader {
  id: string;
  createdAt: number;
  /** The model id as the client sent it (echoed back). */
  model: string;
  previousResponseId: string | null;
  settings: ResponseSettings;
}

/** Random hex ids with OpenAI's prefixes: `resp_`, `msg_`, `fc_`, `call_`. */
export function responsesId(prefix: "resp" | "msg" | "fc" | "call"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `${prefix}_${[...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
