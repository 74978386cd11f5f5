// OpenAI chat request → Gemini generateContent request. Gemini takes system text apart from the turns
// (systemInstruction), calls the assistant "model", and answers function calls with functionResponse
// parts in a user turn, matched by function name, not by call id.
import type { ChatRequest } from "../openai-types";
import {
  type GeminiContent,
  type GeminiFunctionDeclaration,
  type GeminiGenerateContentRequest,
  type GeminiGenerationConfig,
  type GeminiPart,
  type GeminiToolConfig,
  isRecord,
} from "./wire-types";

const string = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const number = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/** The text of an OpenAI content value: a string, or the `text` of its parts. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : "")).join("");
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const mimeByExtension: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
};

/** Gemini wants a mimeType with every fileData; a URL only hints at it through its extension. */
export function guessMimeType(url: string): string {
  const path = URL.canParse(url) ? new URL(url).pathname : url;
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (extension && mimeByExtension[extension]) || "image/jpeg";
}

function base64OfText(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** data: URLs travel inline (base64); anything else is a file Gemini fetches itself. */
function imagePart(url: string): GeminiPart {
  if (!url.startsWith("data:")) return { fileData: { mimeType: guessMimeType(url), fileUri: url } };
  const comma = url.indexOf(",");
  const header = url.slice("data:".length, comma);
  const payload = url.slice(comma + 1);
  const mimeType = header.split(";")[0] || "image/jpeg";
  const data = header.endsWith(";base64") ? payload : base64OfText(decodeURIComponent(payload));
  return { inlineData: { mimeType, data } };
}

/** User content: a string, or text and image_url parts (other part types have no mapping here). */
function userParts(content: unknown): GeminiPart[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) return [];
  const parts: GeminiPart[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === "text" && typeof part.text === "string" && part.text) parts.push({ text: part.text });
    if (part.type === "image_url") {
      const image = part.image_url;
      const url = isRecord(image) ? string(image.url) : string(image);
      if (url) parts.push(imagePart(url));
    }
  }
  return parts;
}

/** Reads the signature back from where the response put it (see GoogleToolCallExtra). */
function thoughtSignatureOf(toolCall: Record<string, unknown>): string | undefined {
  const extra = toolCall.extra_content;
  const google = isRecord(extra) ? extra.google : undefined;
  return isRecord(google) ? string(google.thought_signature) : undefined;
}

function assistantParts(message: Record<string, unknown>, namesById: Map<string, string>): GeminiPart[] {
  const parts: GeminiPart[] = [];
  const text = textOf(message.content);
  if (text) parts.push({ text });
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  for (const toolCall of toolCalls) {
    if (!isRecord(toolCall) || !isRecord(toolCall.function)) continue;
    const name = string(toolCall.function.name);
    if (!name) continue;
    const id = string(toolCall.id);
    if (id) namesById.set(id, name);
    const args = parseObject(string(toolCall.function.arguments) ?? "") ?? {};
    const part: GeminiPart = { functionCall: { name, args } };
    const signature = thoughtSignatureOf(toolCall);
    if (signature) part.thoughtSignature = signature;
    parts.push(part);
  }
  return parts;
}

function functionResponsePart(message: Record<string, unknown>, namesById: Map<string, string>): GeminiPart {
  const id = string(message.tool_call_id) ?? "";
  const name = namesById.get(id) ?? string(message.name) ?? id;
  const text = textOf(message.content);
  // Gemini's response must be an object: JSON objects go as they are, anything else is wrapped.
  return { functionResponse: { name, response: parseObject(text) ?? { content: text } } };
}

function toContents(messages: Record<string, unknown>[]): {
  contents: GeminiContent[];
  systemParts: GeminiPart[];
} {
  const contents: GeminiContent[] = [];
  const systemParts: GeminiPart[] = [];
  const namesById = new Map<string, string>();
  let toolTurn: GeminiContent | undefined;
  for (const message of messages) {
    const role = message.role;
    if (role === "tool") {
      // All answers to one model turn's calls go in a single user turn: Gemini matches the counts.
      const part = functionResponsePart(message, namesById);
      if (toolTurn) toolTurn.parts.push(part);
      else {
        toolTurn = { role: "user", parts: [part] };
        contents.push(toolTurn);
      }
      continue;
    }
    toolTurn = undefined;
    if (role === "system" || role === "developer") {
      const content = message.content;
      const texts = Array.isArray(content) ? content.map((part) => textOf([part])) : [textOf(content)];
      for (const text of texts) if (text) systemParts.push({ text });
    } else if (role === "user") {
      const parts = userParts(message.content);
      if (parts.length > 0) contents.push({ role: "user", parts });
    } else if (role === "assistant") {
      const parts = assistantParts(message, namesById);
      if (parts.length > 0) contents.push({ role: "model", parts });
    }
  }
  return { contents, systemParts };
}

function toFunctionDeclarations(tools: unknown): GeminiFunctionDeclaration[] {
  if (!Array.isArray(tools)) return [];
  const declarations: GeminiFunctionDeclaration[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || tool.type !== "function" || !isRecord(tool.function)) continue;
    const name = string(tool.function.name);
    if (!name) continue;
    const declaration: GeminiFunctionDeclaration = { name };
    const description = string(tool.function.description);
    if (description) declaration.description = description;
    if (isRecord(tool.function.parameters)) declaration.parameters = tool.function.parameters;
    declarations.push(declaration);
  }
  return declarations;
}

function toToolConfig(toolChoice: unknown): GeminiToolConfig | undefined {
  if (toolChoice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (toolChoice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (toolChoice === "required") return { functionCallingConfig: { mode: "ANY" } };
  const name = isRecord(toolChoice) && isRecord(toolChoice.function) ? string(toolChoice.function.name) : undefined;
  return name ? { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [name] } } : undefined;
}

function toGenerationConfig(request: ChatRequest): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const maxTokens = number(request.max_completion_tokens) ?? number(request.max_tokens);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const temperature = number(request.temperature);
  if (temperature !== undefined) config.temperature = temperature;
  const topP = number(request.top_p);
  if (topP !== undefined) config.topP = topP;
  const stop = typeof request.stop === "string" ? [request.stop] : request.stop;
  if (Array.isArray(stop)) {
    const sequences = stop.filter((item): item is string => typeof item === "string");
    if (sequences.length > 0) config.stopSequences = sequences;
  }
  const n = number(request.n);
  if (n !== undefined) config.candidateCount = n;
  const seed = number(request.seed);
  if (seed !== undefined) config.seed = seed;
  const format = request.response_format;
  if (isRecord(format) && format.type === "json_object") config.responseMimeType = "application/json";
  if (isRecord(format) && format.type === "json_schema") {
    config.responseMimeType = "application/json";
    const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    if (isRecord(schema)) config.responseJsonSchema = schema;
  }
  return config;
}

export function toGeminiRequest(request: ChatRequest): GeminiGenerateContentRequest {
  const { contents, systemParts } = toContents(request.messages);
  const body: GeminiGenerateContentRequest = { contents, generationConfig: toGenerationConfig(request) };
  if (systemParts.length > 0) body.systemInstruction = { parts: systemParts };
  const declarations = toFunctionDeclarations(request.tools);
  if (declarations.length > 0) {
    body.tools = [{ functionDeclarations: declarations }];
    const toolConfig = toToolConfig(request.tool_choice);
    if (toolConfig) body.toolConfig = toolConfig;
  }
  return body;
}
