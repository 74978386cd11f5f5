// Anthropic Messages request -> the gateway's internal OpenAI chat request, so a client using
// Anthropic's SDK can reach any provider. Only fields with an OpenAI meaning are carried over.

import type {
  AnthropicCacheControl,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
} from "../../providers/anthropic/wire-types";
import type { ChatRequest } from "../../providers/openai-types";

/** A request the gateway cannot express in OpenAI terms (the front door answers 400). */
export class MessagesRequestError extends Error {
  override readonly name = "MessagesRequestError";
}

type CacheMark = { cache_control?: AnthropicCacheControl };
type OpenAiTextPart = { type: "text"; text: string } & CacheMark;
type OpenAiImagePart = { type: "image_url"; image_url: { url: string } } & CacheMark;
type OpenAiUserPart = OpenAiTextPart | OpenAiImagePart;
type OpenAiRequestToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

type OpenAiRequestMessage =
  | { role: "system"; content: string | OpenAiTextPart[] }
  | { role: "user"; content: string | OpenAiUserPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: OpenAiRequestToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

type OpenAiToolChoice = "auto" | "required" | "none" | { type: "function"; function: { name: string } };

export interface TranslationOptions {
  /**
   * Keep Anthropic `cache_control` marks on text and image parts. Only for upstreams that read them
   * (the Anthropic adapter does); strict OpenAI-style APIs may reject the unknown field.
   */
  keepCacheControl?: boolean;
}

function cacheMark(block: CacheMark, options: TranslationOptions): CacheMark {
  return options.keepCacheControl && block.cache_control ? { cache_control: block.cache_control } : {};
}

function textPart(block: AnthropicTextBlock, options: TranslationOptions): OpenAiTextPart {
  return { type: "text", text: block.text, ...cacheMark(block, options) };
}

function imagePart(block: AnthropicImageBlock, options: TranslationOptions): OpenAiImagePart {
  const { source } = block;
  const url = source.type === "base64" ? `data:${source.media_type};base64,${source.data}` : source.url;
  return { type: "image_url", image_url: { url }, ...cacheMark(block, options) };
}

/** For blocks the wire types do not know (documents, search results...), which still arrive at runtime. */
function unsupportedBlock(block: unknown, where: string): MessagesRequestError {
  const type = typeof block === "object" && block !== null && "type" in block ? String(block.type) : typeof block;
  return new MessagesRequestError(`content block type "${type}" is not supported in ${where}`);
}

/** OpenAI tool messages carry text only, so a result's images travel on as user content. */
function toolResultMessage(
  block: AnthropicToolResultBlock,
  options: TranslationOptions,
): { message: OpenAiRequestMessage; images: OpenAiImagePart[] } {
  const texts: string[] = [];
  const images: OpenAiImagePart[] = [];
  if (typeof block.content === "string") texts.push(block.content);
  else
    for (const part of block.content ?? []) {
      if (part.type === "text") texts.push(part.text);
      else if (part.type === "image") images.push(imagePart(part, options));
      else throw unsupportedBlock(part, "tool_result content");
    }
  const text = texts.join("\n");
  const content = block.is_error ? `Error: ${text}` : text;
  return { message: { role: "tool", tool_call_id: block.tool_use_id, content }, images };
}

/** Tool results become tool messages ahead of the turn's remaining user content, as OpenAI requires. */
function userMessages(content: AnthropicMessageParam["content"], options: TranslationOptions): OpenAiRequestMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const toolMessages: OpenAiRequestMessage[] = [];
  const parts: OpenAiUserPart[] = [];
  for (const block of content) {
    switch (block.type) {
      case "text":
        parts.push(textPart(block, options));
        break;
      case "image":
        parts.push(imagePart(block, options));
        break;
      case "tool_result": {
        const { message, images } = toolResultMessage(block, options);
        toolMessages.push(message);
        parts.push(...images);
        break;
      }
      default:
        throw unsupportedBlock(block, "user messages");
    }
  }
  if (parts.length === 0) return toolMessages;
  const [only] = parts;
  const userContent = parts.length === 1 && only?.type === "text" && !only.cache_control ? only.text : parts;
  return [...toolMessages, { role: "user", content: userContent }];
}

function assistantMessage(content: AnthropicMessageParam["content"]): OpenAiRequestMessage {
  if (typeof content === "string") return { role: "assistant", content };
  const texts: string[] = [];
  const toolCalls: OpenAiRequestToolCall[] = [];
  for (const block of content) {
    switch (block.type) {
      case "text":
        texts.push(block.text);
        break;
      case "tool_use":
        toolCalls.push({
          id: block.id,
          type: "function",
          function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
      // Reasoning is not resent: other providers cannot verify Anthropic's signatures.
      case "thinking":
      case "redacted_thinking":
        break;
      default:
        throw unsupportedBlock(block, "assistant messages");
    }
  }
  const text = texts.join("");
  if (toolCalls.length === 0) return { role: "assistant", content: text };
  return { role: "assistant", content: text === "" ? null : text, tool_calls: toolCalls };
}

/** One plain string (portable to every provider), unless cache marks are kept and present. */
function systemContent(
  system: AnthropicMessagesRequest["system"],
  options: TranslationOptions,
): string | OpenAiTextPart[] | undefined {
  if (system === undefined) return undefined;
  if (typeof system === "string") return system === "" ? undefined : system;
  const parts = system.map((block) => textPart(block, options));
  if (parts.some((part) => part.cache_control)) return parts;
  const text = system.map((block) => block.text).join("\n\n");
  return text === "" ? undefined : text;
}

function toolOf(tool: AnthropicTool) {
  return {
    type: "function" as const,
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.input_schema,
    },
  };
}

function toolChoiceOf(choice: AnthropicToolChoice): OpenAiToolChoice {
  switch (choice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", function: { name: choice.name } };
  }
}

export function anthropicRequestToChat(body: AnthropicMessagesRequest, options: TranslationOptions = {}): ChatRequest {
  const messages: OpenAiRequestMessage[] = [];
  const system = systemContent(body.system, options);
  if (system !== undefined) messages.push({ role: "system", content: system });
  for (const message of body.messages) {
    if (message.role === "assistant") messages.push(assistantMessage(message.content));
    else messages.push(...userMessages(message.content, options));
  }

  const request: ChatRequest = { model: body.model, messages, max_tokens: body.max_tokens };
  // Server tools (web search, code execution...) have no input_schema and cannot run elsewhere.
  const tools = (body.tools ?? []).filter((tool) => typeof tool.input_schema === "object" && tool.input_schema);
  if (tools.length > 0) {
    request.tools = tools.map(toolOf);
    // OpenAI rejects tool_choice and parallel_tool_calls without tools.
    if (body.tool_choice) {
      request.tool_choice = toolChoiceOf(body.tool_choice);
      if (body.tool_choice.type !== "none" && body.tool_choice.disable_parallel_tool_use === true) {
        request.parallel_tool_calls = false;
      }
    }
  }
  if (body.stop_sequences && body.stop_sequences.length > 0) request.stop = body.stop_sequences;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.top_p = body.top_p;
  if (body.stream === true) {
    request.stream = true;
    // Anthropic streams always end with usage; OpenAI-style upstreams only send it when asked.
    request.stream_options = { include_usage: true };
  }
  if (body.metadata?.user_id) request.user = body.metadata.user_id;
  if (body.thinking !== undefined) request.thinking = body.thinking;
  return request;
}
