// OpenAI chat request → Anthropic Messages request. Anthropic differs in ways that need real
// mapping: system prompts are top-level, tool results are user content, roles must alternate, and
// max_tokens is required.

import { isRecord } from "../../lib/json";
import type { ChatRequest } from "../openai-types";
import type {
  AnthropicCacheControl,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicRequestContentBlock,
  AnthropicTextBlock,
  AnthropicThinkingConfig,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from "./wire-types";

/** Anthropic has no default output limit; OpenAI clients often send none. */
export const defaultMaxTokens = 4096;

const stringOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const numberOf = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/** Clients that target Anthropic through OpenAI shapes put `cache_control` on content parts. */
function cacheControlOf(part: Record<string, unknown>): { cache_control?: AnthropicCacheControl } {
  const value = part.cache_control;
  if (!isRecord(value) || value.type !== "ephemeral") return {};
  const ttl = value.ttl;
  return { cache_control: ttl === "5m" || ttl === "1h" ? { type: "ephemeral", ttl } : { type: "ephemeral" } };
}

/** A percent-encoded `data:` payload as base64 (Anthropic takes only base64); bad escapes are kept as is. */
function base64OfPercentEncoded(payload: string): string {
  let text = payload;
  try {
    text = decodeURIComponent(payload);
  } catch {}
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** `data:` URLs become inline base64 images; anything else is fetched by Anthropic from its URL. */
function imageBlock(url: string, part: Record<string, unknown>): AnthropicImageBlock {
  const dataUrl = /^data:([^;,]+)((?:;[^;,]+)*),(.*)$/s.exec(url);
  if (dataUrl) {
    const [, mediaType = "", parameters = "", payload = ""] = dataUrl;
    const data = parameters.includes(";base64") ? payload : base64OfPercentEncoded(payload);
    return { type: "image", source: { type: "base64", media_type: mediaType, data }, ...cacheControlOf(part) };
  }
  return { type: "image", source: { type: "url", url }, ...cacheControlOf(part) };
}

/** OpenAI content (a string or parts) as Anthropic text and image blocks; empty text is dropped (Anthropic rejects it). */
function contentBlocks(content: unknown): (AnthropicTextBlock | AnthropicImageBlock)[] {
  if (typeof content === "string") return content.length > 0 ? [{ type: "text", text: content }] : [];
  if (!Array.isArray(content)) return [];
  const blocks: (AnthropicTextBlock | AnthropicImageBlock)[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === "text" && typeof part.text === "string" && part.text.length > 0) {
      blocks.push({ type: "text", text: part.text, ...cacheControlOf(part) });
    } else if (part.type === "image_url") {
      const url = isRecord(part.image_url) ? stringOf(part.image_url.url) : stringOf(part.image_url);
      if (url) blocks.push(imageBlock(url, part));
    }
  }
  return blocks;
}

function toolUseBlocks(toolCalls: unknown): AnthropicToolUseBlock[] {
  if (!Array.isArray(toolCalls)) return [];
  const blocks: AnthropicToolUseBlock[] = [];
  for (const call of toolCalls) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    let input: unknown;
    try {
      input = JSON.parse(stringOf(call.function.arguments) || "{}");
    } catch {
      input = undefined;
    }
    // Anthropic needs an object; unparseable arguments cannot be represented, so they become {}.
    blocks.push({
      type: "tool_use",
      id: stringOf(call.id) ?? "",
      name: stringOf(call.function.name) ?? "",
      input: isRecord(input) ? input : {},
    });
  }
  return blocks;
}

function toolResultBlock(message: Record<string, unknown>): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: "tool_result", tool_use_id: stringOf(message.tool_call_id) ?? "" };
  if (typeof message.content === "string") {
    if (message.content.length > 0) block.content = message.content;
  } else {
    const blocks = contentBlocks(message.content);
    if (blocks.length > 0) block.content = blocks;
  }
  return block;
}

/** Splits OpenAI messages into Anthropic's top-level system blocks and alternating turns. */
function convertMessages(messages: Record<string, unknown>[]): {
  system: AnthropicTextBlock[];
  turns: AnthropicMessageParam[];
} {
  const system: AnthropicTextBlock[] = [];
  const turns: { role: "user" | "assistant"; content: AnthropicRequestContentBlock[] }[] = [];
  const append = (role: "user" | "assistant", blocks: AnthropicRequestContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    // Anthropic requires alternating roles: consecutive same-role messages become one turn.
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "developer":
        system.push(
          ...contentBlocks(message.content).filter((block): block is AnthropicTextBlock => block.type === "text"),
        );
        break;
      case "assistant":
        append("assistant", [...contentBlocks(message.content), ...toolUseBlocks(message.tool_calls)]);
        break;
      case "tool":
        append("user", [toolResultBlock(message)]);
        break;
      default:
        append("user", contentBlocks(message.content));
    }
  }
  return { system, turns };
}

function convertTools(tools: unknown): AnthropicTool[] {
  if (!Array.isArray(tools)) return [];
  const converted: AnthropicTool[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || tool.type !== "function" || !isRecord(tool.function)) continue;
    const name = stringOf(tool.function.name);
    if (!name) continue;
    const description = stringOf(tool.function.description);
    converted.push({
      name,
      ...(description ? { description } : {}),
      input_schema: isRecord(tool.function.parameters) ? tool.function.parameters : { type: "object", properties: {} },
    });
  }
  return converted;
}

function convertToolChoice(choice: unknown, parallelToolCalls: unknown): AnthropicToolChoice | undefined {
  const disableParallel = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...disableParallel };
  if (isRecord(choice) && choice.type === "function" && isRecord(choice.function)) {
    const name = stringOf(choice.function.name);
    if (name) return { type: "tool", name, ...disableParallel };
  }
  if (choice === "auto" || parallelToolCalls === false) return { type: "auto", ...disableParallel };
  return undefined;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === "string") return [stop];
  if (Array.isArray(stop)) {
    const sequences = stop.filter((value): value is string => typeof value === "string");
    return sequences.length > 0 ? sequences : undefined;
  }
  return undefined;
}

export function toAnthropicRequest(request: ChatRequest): AnthropicMessagesRequest {
  const { system, turns } = convertMessages(request.messages);
  const body: AnthropicMessagesRequest = {
    model: request.model,
    max_tokens: numberOf(request.max_tokens) ?? numberOf(request.max_completion_tokens) ?? defaultMaxTokens,
    messages: turns,
    stream: request.stream === true,
  };
  if (system.length > 0) {
    // A single plain prompt stays a string; several, or cache-marked ones, stay blocks.
    const [first] = system;
    body.system = system.length === 1 && first && !first.cache_control ? first.text : system;
  }
  const tools = convertTools(request.tools);
  if (tools.length > 0) {
    body.tools = tools;
    // Anthropic rejects tool_choice without tools, so it is only sent alongside them.
    const toolChoice = convertToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (toolChoice) body.tool_choice = toolChoice;
  }
  const stop = stopSequences(request.stop);
  if (stop) body.stop_sequences = stop;
  const temperature = numberOf(request.temperature);
  if (temperature !== undefined) body.temperature = temperature;
  const topP = numberOf(request.top_p);
  if (topP !== undefined) body.top_p = topP;
  const topK = numberOf(request.top_k);
  if (topK !== undefined) body.top_k = topK;
  // Anthropic-native thinking config, passed through for clients that know it.
  if (isRecord(request.thinking) && typeof request.thinking.type === "string") {
    body.thinking = request.thinking as AnthropicThinkingConfig;
  }
  const user = stringOf(request.user);
  if (user) body.metadata = { user_id: user };
  return body;
}
