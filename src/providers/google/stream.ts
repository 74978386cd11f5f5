// streamGenerateContent?alt=sse → OpenAI chunks. Every SSE event is a complete GenerateContentResponse
// holding the next slice of each candidate (function calls arrive whole) and the usage so far.
// Gemini sends no [DONE]: the stream ends with the body, so this transformer never emits `done`.
import type { ChatCompletionChunk, ChatRequest } from "../openai-types";
import { parseEventJson } from "../stream-json";
import type { StreamPart, StreamTransformer, TokenUsage } from "../types";
import { finishReasonFromGemini, openAiUsageOf, readGoogleError, splitParts, usageFromGemini } from "./response";
import { type GeminiGenerateContentResponse, isRecord } from "./wire-types";

type Choice = ChatCompletionChunk["choices"][number];

export function createGeminiStreamTransformer(request: ChatRequest): StreamTransformer {
  const created = Math.floor(Date.now() / 1000);
  let id: string | undefined;
  let usage: TokenUsage | undefined;
  let usageChunkSent = false;
  /** Candidates that already sent their first chunk (which carries the role). */
  const started = new Set<number>();
  /** Tool calls sent so far per candidate: the next call's index, and STOP's meaning. */
  const toolCallCounts = new Map<number, number>();
  const finished = new Set<number>();
  const expectedCandidates = typeof request.n === "number" && request.n > 1 ? request.n : 1;

  function choiceOf(candidate: NonNullable<GeminiGenerateContentResponse["candidates"]>[number], position: number) {
    const index = candidate.index ?? position;
    const delta: Choice["delta"] = {};
    if (!started.has(index)) {
      started.add(index);
      delta.role = "assistant";
    }
    const { text, reasoning, toolCalls } = splitParts(candidate.content?.parts);
    if (text) delta.content = text;
    if (reasoning) delta.reasoning_content = reasoning;
    const sent = toolCallCounts.get(index) ?? 0;
    if (toolCalls.length > 0) {
      delta.tool_calls = toolCalls.map((toolCall, offset) => ({ index: sent + offset, ...toolCall }));
      toolCallCounts.set(index, sent + toolCalls.length);
    }
    const reason = candidate.finishReason;
    const finishReason = reason ? finishReasonFromGemini(reason, (toolCallCounts.get(index) ?? 0) > 0) : null;
    if (finishReason) finished.add(index);
    const choice: Choice = { index, delta, finish_reason: finishReason };
    return Object.keys(delta).length > 0 || finishReason ? choice : undefined;
  }

  return {
    transform(event): StreamPart[] {
      const parsed = parseEventJson(event);
      if ("error" in parsed) return [parsed.error];
      const payload = parsed.payload;
      if (!isRecord(payload)) return [];
      if (isRecord(payload.error)) {
        const status = typeof payload.error.code === "number" ? payload.error.code : 502;
        return [{ type: "error", error: readGoogleError(status, event.data, new Headers()) }];
      }
      const fragment: GeminiGenerateContentResponse = payload;
      // usageMetadata is cumulative: the latest one is the whole count so far.
      usage = usageFromGemini(fragment.usageMetadata) ?? usage;
      id ??= fragment.responseId ?? `chatcmpl-${crypto.randomUUID()}`;
      const base = {
        id,
        object: "chat.completion.chunk" as const,
        created,
        model: fragment.modelVersion ?? request.model,
      };

      const candidates = Array.isArray(fragment.candidates) ? fragment.candidates : [];
      const choices = candidates.flatMap((candidate, position) => choiceOf(candidate, position) ?? []);
      let finishing = choices.some((choice) => choice.finish_reason !== null);
      if (candidates.length === 0 && fragment.promptFeedback?.blockReason) {
        // The prompt was blocked: no candidates will follow.
        choices.push({ index: 0, delta: { role: "assistant" }, finish_reason: "content_filter" });
        finished.add(0);
        finishing = true;
      }

      const parts: StreamPart[] = [];
      if (choices.length > 0) parts.push({ type: "chunk", chunk: { ...base, choices }, usageOnly: false });
      if (finishing && usage) {
        // The usage part goes first: the gateway prices the usage chunk with the usage it holds.
        parts.push({ type: "usage", usage });
        if (!usageChunkSent && finished.size >= expectedCandidates) {
          usageChunkSent = true;
          parts.push({ type: "chunk", chunk: { ...base, choices: [], usage: openAiUsageOf(usage) }, usageOnly: true });
        }
      }
      return parts;
    },
  };
}
