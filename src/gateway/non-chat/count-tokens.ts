// POST /v1/messages/count_tokens, Hono-free. A provider that counts tokens itself (Anthropic) is asked,
// through the same dispatch as inference (timeout, retry, breakers); every other provider gets an
// estimate, 4 characters per token as everywhere else in the gateway, marked as such in the body
// (`"estimated": true`; the route adds the `x-gateway-token-count` header). If the exact count cannot be had (the
// provider's breaker is open, it fails or is rate limiting), the answer is the marked estimate rather
// than an error; a request the provider refuses as invalid is the client's 400/404. Nothing is billed
// or logged: counting costs nothing upstream.
import { forbidden } from "../../lib/errors";
import { isRecord } from "../../lib/json";
import { modelAllowed, resolveDepsOf } from "../admission";
import { AttemptsFailed, dispatchWithFailover } from "../attempts";
import { breakerAllows, modelBreaker, providerBreaker } from "../breakers";
import type { InferenceContext } from "../context";
import { type ResolvedModel, resolveModel } from "../resolve-model";
import { estimateTokens } from "../usage";

/** Client mistakes the provider reported: another answer (an estimate) would hide them. */
const clientFault = new Set([400, 404, 409, 413, 422]);

function textOfBlock(block: unknown): string {
  if (typeof block === "string") return block;
  if (!isRecord(block)) return "";
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? block.text : "";
    case "thinking":
      return typeof block.thinking === "string" ? block.thinking : "";
    case "tool_use":
      return `${String(block.name ?? "")} ${JSON.stringify(block.input ?? {})}`;
    case "tool_result":
      return Array.isArray(block.content) ? block.content.map(textOfBlock).join("\n") : textOfBlock(block.content);
    default:
      // Images and documents have no text to count at 4 characters per token; their bytes are not text.
      return "";
  }
}

function textOf(content: unknown): string {
  return Array.isArray(content) ? content.map(textOfBlock).join("\n") : textOfBlock(content);
}

/** The text a Messages request puts before the model: system, every message, tool definitions. */
export function messagesPromptText(body: Record<string, unknown>): string {
  const parts = [textOf(body.system)];
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    if (isRecord(message)) parts.push(textOf(message.content));
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) parts.push(JSON.stringify(body.tools));
  return parts.filter((part) => part.length > 0).join("\n");
}

export interface TokenCount {
  /** Anthropic's shape: `{input_tokens}` (the provider's own answer), plus `estimated: true` for estimates. */
  body: { input_tokens: number; estimated?: true; [key: string]: unknown };
  /** For the `x-gateway-token-count` header. */
  kind: "exact" | "estimated";
  /** Why the count is an estimate. */
  reason?: string;
}

function estimated(body: Record<string, unknown>, reason: string): TokenCount {
  return {
    body: { input_tokens: estimateTokens(messagesPromptText(body)), estimated: true },
    kind: "estimated",
    reason,
  };
}

/** The provider's own count, or undefined when it cannot be had (the caller estimates instead). */
async function exactCount(
  body: Record<string, unknown>,
  resolved: ResolvedModel,
  ctx: InferenceContext,
): Promise<TokenCount | undefined> {
  const capability = resolved.adapter.countTokens;
  if (!capability) return undefined;
  const open =
    !breakerAllows(ctx.env, providerBreaker(resolved.providerId), ctx.defer) ||
    !breakerAllows(ctx.env, modelBreaker(resolved.providerId, resolved.upstreamModel), ctx.defer);
  if (open) return undefined;
  let answered: Awaited<ReturnType<typeof dispatchWithFailover>>;
  try {
    answered = await dispatchWithFailover(ctx, [resolved], (attempt) =>
      capability.buildRequest(body, attempt.upstreamModel, attempt.settings),
    );
  } catch (error) {
    if (!(error instanceof AttemptsFailed)) throw error;
    const status = error.failures.at(-1)?.status;
    if (status !== undefined && clientFault.has(status)) throw error.clientError;
    console.warn(
      JSON.stringify({ msg: "count_tokens: estimating instead", request_id: ctx.requestId, failures: error.failures }),
    );
    return undefined;
  }
  const { dispatched, providerSlot } = answered;
  try {
    const upstream: unknown = await dispatched.response.json();
    const tokens = capability.parseResponse(upstream);
    if (tokens === undefined) return undefined;
    return {
      body: isRecord(upstream) ? { ...upstream, input_tokens: tokens } : { input_tokens: tokens },
      kind: "exact",
    };
  } catch {
    return undefined;
  } finally {
    dispatched.clearTimer();
    ctx.defer(providerSlot.release());
  }
}

export async function countMessageTokens(
  body: Record<string, unknown> & { model: string },
  ctx: InferenceContext,
): Promise<TokenCount> {
  const resolved = await resolveModel({ model: body.model }, resolveDepsOf(ctx));
  if (!modelAllowed(ctx, body.model, resolved)) {
    throw forbidden(`This API key may not use model '${body.model}'`, "model_not_allowed");
  }
  if (!resolved.adapter.countTokens) {
    return estimated(body, `provider '${resolved.providerId}' has no token counting endpoint`);
  }
  return (
    (await exactCount(body, resolved, ctx)) ??
    estimated(body, `provider '${resolved.providerId}' could not count the tokens just now`)
  );
}
