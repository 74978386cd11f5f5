// Responses API request -> the gateway's internal OpenAI chat request, so every provider can answer
// it: input items become chat messages, function tools chat tools, `text.format` a response_format.
import { isRecord } from "../../lib/json";
import type { ChatRequest } from "../../providers/openai-types";
import type { ResponseSettings, ResponsesRequest } from "./types";

/** Input the gateway cannot express as a chat request (the front door answers 400 naming `param`). */
export class ResponsesRequestError extends Error {
  override readonly name = "ResponsesRequestError";
  constructor(
    message: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

type ChatPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string; detail?: string } };
type ChatToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };
type ChatMessage =
  | { role: "system" | "user"; content: string | ChatPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

const fail = (message: string, param: string | null) => new ResponsesRequestError(message, param);

function requiredString(item: Record<string, unknown>, field: string, param: string, allowEmpty = false): string {
  const value = item[field];
  if (typeof value !== "string" || (!allowEmpty && value === "")) {
    throw fail(`'${field}' must be a ${allowEmpty ? "" : "non-empty "}string`, `${param}.${field}`);
  }
  return value;
}

function contentPart(part: unknown, param: string, allowImages: boolean): ChatPart {
  if (!isRecord(part)) throw fail("a content part must be an object", param);
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: requiredString(part, "text", param, true) };
    case "refusal":
      return { type: "text", text: requiredString(part, "refusal", param, true) };
    case "input_image": {
      if (!allowImages) throw fail("input_image is only supported in user messages", `${param}.type`);
      if (typeof part.image_url !== "string" || part.image_url === "") {
        throw fail(
          "input_image needs an image_url (https: or data: URL); file_id is not supported",
          `${param}.image_url`,
        );
      }
      const detail = part.detail === "low" || part.detail === "high" ? { detail: part.detail } : {};
      return { type: "image_url", image_url: { url: part.image_url, ...detail } };
    }
    default:
      throw fail(
        `content part type '${String(part.type)}' is not supported (use input_text, output_text or input_image)`,
        `${param}.type`,
      );
  }
}

function contentParts(content: unknown, param: string, allowImages: boolean): ChatPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) throw fail("content must be a string or an array of content parts", param);
  return content.map((part, index) => contentPart(part, `${param}[${index}]`, allowImages));
}

const joinedText = (parts: ChatPart[], separator: string) =>
  parts.map((part) => (part.type === "text" ? part.text : "")).join(separator);

function messageOf(item: Record<string, unknown>, param: string): ChatMessage {
  const content = `${param}.content`;
  switch (item.role) {
    case "user": {
      const parts = contentParts(item.content, content, true);
      const [only] = parts;
      return { role: "user", content: parts.length === 1 && only?.type === "text" ? only.text : parts };
    }
    // Developer messages are system messages for every provider but OpenAI's newest models, which treat both alike.
    case "system":
    case "developer":
      return { role: "system", content: joinedText(contentParts(item.content, content, false), "\n") };
    case "assistant":
      return { role: "assistant", content: joinedText(contentParts(item.content, content, false), "") };
    default:
      throw fail("role must be one of user, assistant, system, developer", `${param}.role`);
  }
}

function functionOutputText(output: unknown, param: string): string {
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) throw fail("output must be a string or an array of input_text parts", param);
  return output
    .map((part, index) => {
      if (!isRecord(part) || part.type !== "input_text") {
        throw fail("only input_text parts are supported in a function call output", `${param}[${index}]`);
      }
      return requiredString(part, "text", `${param}[${index}]`, true);
    })
    .join("");
}

/** Appends one item; function calls join the assistant message right before them, as chat requires. */
function appendItem(messages: ChatMessage[], item: unknown, param: string): void {
  if (!isRecord(item)) throw fail("an input item must be an object", param);
  const type = item.type ?? (item.role === undefined ? undefined : "message");
  switch (type) {
    case "message":
      messages.push(messageOf(item, param));
      return;
    case "function_call": {
      const call: ChatToolCall = {
        id: requiredString(item, "call_id", param),
        type: "function",
        function: {
          name: requiredString(item, "name", param),
          arguments: requiredString(item, "arguments", param, true),
        },
      };
      const last = messages.at(-1);
      if (last?.role === "assistant") {
        last.tool_calls = [...(last.tool_calls ?? []), call];
        if (last.content === "") last.content = null;
      } else {
        messages.push({ role: "assistant", content: null, tool_calls: [call] });
      }
      return;
    }
    case "function_call_output":
      messages.push({
        role: "tool",
        tool_call_id: requiredString(item, "call_id", param),
        content: functionOutputText(item.output, `${param}.output`),
      });
      return;
    // Reasoning is not resent: other providers cannot use it (as on /v1/messages).
    case "reasoning":
      return;
    default:
      throw fail(
        `input item type '${String(type)}' is not supported (use message, function_call or function_call_output)`,
        `${param}.type`,
      );
  }
}

function chatTools(tools: Record<string, unknown>[]): Record<string, unknown>[] {
  return tools.map((tool, index) => {
    const param = `tools[${index}]`;
    if (tool.type !== "function") {
      throw fail(
        `tool type '${String(tool.type)}' is not supported: this gateway serves function tools only ` +
          "(built-in tools such as web_search, file_search or code_interpreter run on OpenAI's own platform)",
        `${param}.type`,
      );
    }
    const fn: Record<string, unknown> = { name: requiredString(tool, "name", param) };
    if (typeof tool.description === "string") fn.description = tool.description;
    if (isRecord(tool.parameters)) fn.parameters = tool.parameters;
    if (typeof tool.strict === "boolean") fn.strict = tool.strict;
    return { type: "function", function: fn };
  });
}

function chatToolChoice(choice: ResponsesRequest["tool_choice"]): ChatRequest["tool_choice"] {
  if (typeof choice === "string") {
    if (choice === "auto" || choice === "none" || choice === "required") return choice;
    throw fail("tool_choice must be auto, none, required or {type: 'function', name}", "tool_choice");
  }
  if (isRecord(choice) && choice.type === "function") {
    return { type: "function", function: { name: requiredString(choice, "name", "tool_choice") } };
  }
  throw fail(
    `tool_choice type '${String(choice?.type)}' is not supported (only function tools are)`,
    "tool_choice.type",
  );
}

function responseFormat(format: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  switch (format?.type) {
    case undefined:
    case "text":
      return undefined;
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      if (!isRecord(format.schema)) throw fail("'schema' must be a JSON schema object", "text.format.schema");
      const jsonSchema: Record<string, unknown> = {
        name: requiredString(format, "name", "text.format"),
        schema: format.schema,
      };
      if (typeof format.description === "string") jsonSchema.description = format.description;
      if (typeof format.strict === "boolean") jsonSchema.strict = format.strict;
      return { type: "json_schema", json_schema: jsonSchema };
    }
    default:
      throw fail("text.format.type must be text, json_object or json_schema", "text.format.type");
  }
}

/** The request's own input as items: a string is one user message. */
export function inputItemsOf(input: ResponsesRequest["input"]): Record<string, unknown>[] {
  if (input === undefined) return [];
  return typeof input === "string" ? [{ type: "message", role: "user", content: input }] : input;
}

/**
 * The chat request for a Responses request. `previousItems` is the stored conversation before it
 * (previous_response_id: that response's input and output items); `instructions` are this request's only.
 */
export function responsesRequestToChat(body: ResponsesRequest, previousItems: Record<string, unknown>[]): ChatRequest {
  const messages: ChatMessage[] = [];
  if (typeof body.instructions === "string" && body.instructions !== "") {
    messages.push({ role: "system", content: body.instructions });
  }
  previousItems.forEach((item, index) => {
    appendItem(messages, item, `previous_response_id (item ${index})`);
  });
  const input = inputItemsOf(body.input);
  input.forEach((item, index) => {
    appendItem(messages, item, typeof body.input === "string" ? "input" : `input[${index}]`);
  });
  if (!messages.some((message) => message.role !== "system")) {
    throw fail("input is required (a string or a list of input items)", "input");
  }

  const request: ChatRequest = { model: body.model, messages };
  if (body.stream === true) {
    request.stream = true;
    // Usage arrives last in a stream only when asked for (OpenAI-style upstreams).
    request.stream_options = { include_usage: true };
  }
  if (typeof body.temperature === "number") request.temperature = body.temperature;
  if (typeof body.top_p === "number") request.top_p = body.top_p;
  if (typeof body.max_output_tokens === "number") request.max_completion_tokens = body.max_output_tokens;
  const tools = chatTools(body.tools ?? []);
  // OpenAI rejects tool_choice and parallel_tool_calls without tools.
  if (tools.length > 0) {
    request.tools = tools;
    if (body.tool_choice !== undefined) request.tool_choice = chatToolChoice(body.tool_choice);
    if (typeof body.parallel_tool_calls === "boolean") request.parallel_tool_calls = body.parallel_tool_calls;
  }
  const format = responseFormat(body.text?.format);
  if (format) request.response_format = format;
  if (typeof body.reasoning?.effort === "string") request.reasoning_effort = body.reasoning.effort;
  if (typeof body.user === "string" && body.user !== "") request.user = body.user;
  return request;
}

/** What the response echoes of its request, with OpenAI's defaults for what the request left out. */
export function responseSettings(body: ResponsesRequest): ResponseSettings {
  return {
    instructions: typeof body.instructions === "string" ? body.instructions : null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { ...(body.text ?? {}), format: body.text?.format ?? { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: (body.tools ?? []).map((tool) => ({
      type: tool.type,
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    top_p: body.top_p ?? 1,
    truncation: "disabled",
    user: body.user ?? null,
  };
}
