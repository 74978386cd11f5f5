// POST /v1/chat/completions, Hono-free: credit pre-check → resolve model → dispatch → respond
// (JSON or a relayed stream) → settle after the response.

import { findUserSpendableBalance } from "../db/inference";
import { findProvidersOfModel } from "../db/models";
import { ApiError, forbidden, paymentRequired } from "../lib/errors";
import { parseUsd, usdNumber } from "../lib/money";
import type { ChatCompletion, ChatRequest } from "../providers/openai-types";
import type { UpstreamRequest } from "../providers/types";
import type { InferenceContext } from "./context";
import { costOf } from "./pricing";
import { type ResolvedModel, resolveModel } from "./resolve-model";
import { openAiFormat, type ResponseFormat } from "./response-format";
import { catalogEntryFor, noUsage, settleLater } from "./settle";
import { relayChatStream } from "./stream";
import { clientErrorFor, timeoutError, unreachableError } from "./upstream-errors";
import { estimateUsage, promptText } from "./usage";

/** Request fields that steer the gateway and are not sent upstream. */
const gatewayOnlyFields = ["provider", "auto_web_search", "web_search_threshold"] as const;

function completionText(completion: ChatCompletion): string {
  return completion.choices
    .map((choice) => `${choice.message?.content ?? ""}${JSON.stringify(choice.message?.tool_calls ?? "")}`)
    .join("");
}

async function ensureCredit(ctx: InferenceContext): Promise<void> {
  const balance = await findUserSpendableBalance(ctx.db(), ctx.caller.userId);
  if (balance === undefined || parseUsd(balance) <= 0n) {
    throw paymentRequired("Insufficient credits: add credits to continue", "insufficient_credits");
  }
}

function ensureModelAllowed(ctx: InferenceContext, requested: string, resolved: ResolvedModel): void {
  const allowed = ctx.caller.allowedModels;
  if (allowed.length === 0) return;
  const qualified = `${resolved.providerId}/${resolved.upstreamModel}`;
  if (!allowed.includes(requested) && !allowed.includes(qualified)) {
    throw forbidden(`This API key may not use model '${requested}'`, "model_not_allowed");
  }
}

interface Dispatched {
  response: Response;
  abort: AbortController;
  clearTimer: () => void;
}

/** Sends the request upstream; the timeout covers the wait for response headers. */
async function dispatch(ctx: InferenceContext, resolved: ResolvedModel, call: UpstreamRequest): Promise<Dispatched> {
  const abort = new AbortController();
  const timeoutMs = ctx.config.UPSTREAM_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort(new Error("upstream timeout"));
  }, timeoutMs);
  ctx.clientSignal?.addEventListener("abort", () => abort.abort(new Error("client disconnected")), { once: true });
  try {
    const response = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: abort.signal,
    });
    return { response, abort, clearTimer: () => clearTimeout(timer) };
  } catch (error) {
    clearTimeout(timer);
    if (timedOut) throw timeoutError(resolved.providerId, timeoutMs);
    console.error(JSON.stringify({ msg: "upstream unreachable", provider: resolved.providerId, error: String(error) }));
    throw unreachableError(resolved.providerId);
  }
}

export function runChatCompletion(request: ChatRequest, ctx: InferenceContext): Promise<Response> {
  return runInference({ request, format: openAiFormat(request) }, ctx);
}

export interface InferenceInput {
  /** The request in the gateway's internal (OpenAI) form: translated for most providers. */
  request: ChatRequest;
  /** How results are rendered for this front door's clients. */
  format: ResponseFormat;
  /** The Anthropic Messages body as the client sent it, for providers that take it untranslated. */
  messagesBody?: Record<string, unknown>;
  /** How the untranslated provider's own results are rendered (a pass-through). */
  passThroughFormat?: ResponseFormat;
}

/** The shared pipeline behind every front door. */
export async function runInference(input: InferenceInput, ctx: InferenceContext): Promise<Response> {
  const { request } = input;
  const startedAt = Date.now();
  await ensureCredit(ctx);
  const forced = typeof request.provider === "string" ? request.provider : undefined;
  const resolved = await resolveModel(
    { model: request.model, forcedProvider: forced },
    {
      env: ctx.env,
      environment: ctx.config.ENVIRONMENT,
      defaultProvider: ctx.config.DEFAULT_PROVIDER,
      catalogProvidersOf: (model) => findProvidersOfModel(ctx.db(), model),
    },
  );
  ensureModelAllowed(ctx, request.model, resolved);
  const catalog = catalogEntryFor(ctx, resolved.providerId, resolved.upstreamModel);
  // A failed price lookup must not fail the request: it is settled as unpriced and logged.
  catalog.catch(() => undefined);

  const upstreamRequest: ChatRequest = { ...request, model: resolved.upstreamModel };
  for (const field of gatewayOnlyFields) delete upstreamRequest[field];
  // A provider that speaks the client's own format gets the client's body, untranslated.
  const passThrough = input.messagesBody && input.passThroughFormat ? resolved.adapter.messagesApi : undefined;
  const format = passThrough && input.passThroughFormat ? input.passThroughFormat : input.format;
  const call =
    passThrough && input.messagesBody
      ? passThrough.buildRequest(input.messagesBody, resolved.upstreamModel, resolved.settings)
      : resolved.adapter.buildRequest(upstreamRequest, resolved.settings);

  const base = {
    requestedModel: request.model,
    provider: resolved.providerId,
    upstreamModel: resolved.upstreamModel,
    endpoint: format.endpoint,
    stream: request.stream === true,
    startedAt,
  };
  const catalogOrUnpriced = () => catalog.catch(() => ({ modelId: null, prices: undefined }));

  const failedOutcome = async (httpStatus: number, errorMessage: string) => ({
    ...base,
    status: "failed" as const,
    httpStatus,
    usage: noUsage,
    usageEstimated: false,
    catalog: await catalogOrUnpriced(),
    cost: { nanos: 0n, priced: true },
    firstTokenAt: null,
    finishReason: null,
    errorMessage: errorMessage.slice(0, 1000),
  });

  let dispatched: Dispatched;
  try {
    dispatched = await dispatch(ctx, resolved, call);
  } catch (error) {
    // Timeouts and unreachable providers are logged like any other failed request.
    if (error instanceof ApiError) settleLater(ctx, await failedOutcome(error.status, error.message));
    throw error;
  }
  const { response, abort, clearTimer } = dispatched;
  if (!response.ok) {
    clearTimer();
    const error = resolved.adapter.parseError(response.status, await response.text(), response.headers);
    const mapped = clientErrorFor(error, resolved.providerId);
    settleLater(ctx, await failedOutcome(mapped.status, `upstream HTTP ${response.status}: ${error.message}`));
    throw mapped;
  }

  if (request.stream === true && response.body) {
    clearTimer();
    return relayChatStream({ ctx, request, resolved, response, abort, catalog: catalogOrUnpriced(), format, base });
  }

  let completion: ChatCompletion;
  let reported: ReturnType<typeof resolved.adapter.parseCompletion>["usage"];
  let upstreamBody: unknown;
  try {
    upstreamBody = await response.json();
    ({ completion, usage: reported } = resolved.adapter.parseCompletion(upstreamBody));
  } catch {
    throw new ApiError(502, `Provider '${resolved.providerId}' sent an unreadable response`, "provider_bad_response");
  } finally {
    clearTimer();
  }
  const usage = reported ?? estimateUsage(promptText(request), completionText(completion));
  const entry = await catalogOrUnpriced();
  const cost = costOf(usage, entry.prices);
  settleLater(ctx, {
    ...base,
    status: "completed",
    httpStatus: 200,
    usage,
    usageEstimated: reported === undefined,
    catalog: entry,
    cost,
    firstTokenAt: null,
    finishReason: completion.choices[0]?.finish_reason ?? null,
    errorMessage: null,
  });
  return Response.json(format.renderCompletion(completion, usage, usdNumber(cost.nanos), upstreamBody));
}
