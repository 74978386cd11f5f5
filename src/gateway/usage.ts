// Token usage: the one place where provider counting conventions are normalised (to OpenAI's:
// cached and cache-written tokens are part of prompt tokens, reasoning tokens part of completion),
// where a missing count is estimated, and where usage is rendered back for clients.
import type { OpenAiUsage } from "../providers/openai-types";
import type { TokenUsage } from "../providers/types";

const count = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** OpenAI-style usage objects (also DeepSeek's prompt_cache_hit_tokens); undefined when absent. */
export function usageFromOpenAi(raw: unknown): TokenUsage | undefined {
  const usage = record(raw);
  if (typeof usage.prompt_tokens !== "number" && typeof usage.completion_tokens !== "number") return undefined;
  const promptDetails = record(usage.prompt_tokens_details);
  const completionDetails = record(usage.completion_tokens_details);
  return {
    promptTokens: count(usage.prompt_tokens),
    completionTokens: count(usage.completion_tokens),
    cachedTokens: count(promptDetails.cached_tokens ?? usage.prompt_cache_hit_tokens),
    cacheWriteTokens: count(promptDetails.cache_write_tokens),
    reasoningTokens: count(completionDetails.reasoning_tokens),
  };
}

/**
 * Counts where the uncached input is reported apart from cache reads and writes (Anthropic's way):
 * the prompt total is their sum.
 */
export function usageFromSplitInput(parts: {
  uncachedInput: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning?: number;
}): TokenUsage {
  const cachedTokens = count(parts.cacheRead);
  const cacheWriteTokens = count(parts.cacheWrite);
  return {
    promptTokens: count(parts.uncachedInput) + cachedTokens + cacheWriteTokens,
    completionTokens: count(parts.output),
    cachedTokens,
    cacheWriteTokens,
    reasoningTokens: count(parts.reasoning),
  };
}

/** The seeds' fallback when an upstream reports nothing: one token per 4 characters. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** The text of a chat request's messages, for estimating its prompt tokens. */
export function promptText(request: { messages: Record<string, unknown>[] }): string {
  return request.messages
    .map((message) => (typeof message.content === "string" ? message.content : JSON.stringify(message.content ?? "")))
    .join("\n");
}

export function estimateUsage(promptText: string, completionText: string): TokenUsage {
  return {
    promptTokens: estimateTokens(promptText),
    completionTokens: estimateTokens(completionText),
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

export function toOpenAiUsage(usage: TokenUsage, costUsd: number): OpenAiUsage {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens, cache_write_tokens: usage.cacheWriteTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    cost: costUsd,
  };
}
