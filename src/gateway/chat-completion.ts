// POST /v1/chat/completions, Hono-free: credit pre-check → resolve model → dispatch → respond
// (JSON or a relayed stream) → settle after the response.

import { ApiError, forbidden } from "../lib/errors";
import { formatUsd, usdNumber } from "../lib/money";
import type { ChatCompletion, ChatRequest } from "../providers/openai-types";
import type { UpstreamRequest } from "../providers/types";
import { acquireKeySlot, describeFailures, modelAllowed, planModels, settleUnanswered } from "./admission";
import { type Answered, AttemptsFailed, dispatchWithFailover } from "./attempts";
import type { InferenceContext } from "./context";
import { ensureCredit } from "./credit-check";
import { costOf } from "./pricing";
import type { ResolvedModel } from "./resolve-model";
import { openAiFormat, type ResponseFormat } from "./response-format";
import { routeModel, withRoutingHeaders } from "./router";
import { type CatalogEntry, catalogEntryFor, settleLater } from "./settle";
import { relayChatStream } from "./stream";
import { estimateUsage, promptText } from "./usage";

/** Request fields that steer the gateway and are not sent upstream. */
const gatewayOnlyFields = [
  "provider",
  "models",
  "auto_web_search",
  "web_search_threshold",
  "session_id",
  "cache",
] as const;

function completionText(completion: ChatCompletion): string {
  return completion.choices
    .map((choice) => `${choice.message?.content ?? ""}${JSON.stringify(choice.message?.tool_calls ?? "")}`)
    .join("");
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
  const models = [request.model, ...(Array.isArray(request.models) ? request.models : [])].filter(
    (model): model is string => typeof model === "string" && model.length > 0,
  );
  const planFor = (candidates: string[]) => planModels(ctx, candidates, request.provider);
  const allowed = (resolved: ResolvedModel) => modelAllowed(ctx, request.model, resolved);
  // `router:*` ids: the classifier picks the tier, the routable candidates become the models.
  const routing = await routeModel(request, ctx, { plan: planFor, allowed });
  const plan = await planFor(routing?.models ?? models);
  const attempts = plan.attempts.filter(allowed);
  if (attempts.length === 0) throw forbidden(`This API key may not use model '${request.model}'`, "model_not_allowed");

  // A provider that speaks the client's own format gets the client's body, untranslated.
  const passThroughOf = (resolved: ResolvedModel) =>
    input.messagesBody && input.passThroughFormat ? resolved.adapter.messagesApi : undefined;
  const callFor = (resolved: ResolvedModel): UpstreamRequest => {
    const passThrough = passThroughOf(resolved);
    if (passThrough && input.messagesBody) {
      return passThrough.buildRequest(input.messagesBody, resolved.upstreamModel, resolved.settings);
    }
    const upstreamRequest: ChatRequest = { ...request, model: resolved.upstreamModel };
    for (const field of gatewayOnlyFields) delete upstreamRequest[field];
    return resolved.adapter.buildRequest(upstreamRequest, resolved.settings);
  };

  const keySlot = await acquireKeySlot(ctx);
  let answered: Answered;
  try {
    answered = await dispatchWithFailover(ctx, attempts, callFor);
  } catch (error) {
    ctx.defer(keySlot.release());
    if (!(error instanceof AttemptsFailed)) throw error;
    settleUnanswered(ctx, {
      requestedModel: request.model,
      endpoint: input.format.endpoint,
      stream: request.stream === true,
      startedAt,
      resolved: attempts[0],
      httpStatus: error.clientError.status,
      errorMessage: describeFailures(error.failures),
      attempts: error.failures,
    });
    throw error.clientError;
  }

  const { resolved, dispatched, failures, providerSlot } = answered;
  /** Frees the key's and the provider's concurrency slots once the response has ended. */
  const releaseSlots = () => Promise.all([keySlot.release(), providerSlot.release()]);
  const { response, abort, clearTimer } = dispatched;
  const passThrough = passThroughOf(resolved);
  const format = passThrough && input.passThroughFormat ? input.passThroughFormat : input.format;
  const catalog = catalogEntryFor(ctx, resolved.providerId, resolved.upstreamModel);
  // A failed lookup is remembered as such: the settlement prices the request later instead of making it free.
  const catalogOrUnpriced = (): Promise<CatalogEntry> =>
    catalog.catch(() => ({ modelId: null, prices: undefined, lookupFailed: true }));
  const base = {
    requestedModel: request.model,
    provider: resolved.providerId,
    upstreamModel: resolved.upstreamModel,
    endpoint: format.endpoint,
    stream: request.stream === true,
    startedAt,
    attempts: failures,
  };
  if (failures.length > 0) {
    console.warn(
      JSON.stringify({ msg: "failover", request_id: ctx.requestId, failures, served_by: resolved.providerId }),
    );
  }

  if (request.stream === true && response.body) {
    clearTimer();
    const relayed = relayChatStream({
      ctx,
      request,
      resolved,
      response,
      abort,
      catalog: catalogOrUnpriced(),
      format,
      base,
      onEnd: releaseSlots,
    });
    return withRoutingHeaders(relayed, routing, resolved);
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
    ctx.defer(releaseSlots());
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
  if (ctx.onAnswered) {
    ctx.defer(
      ctx.onAnswered({
        content: completion.choices[0]?.message?.content ?? "",
        model: request.model,
        provider: resolved.providerId,
        upstreamModel: resolved.upstreamModel,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        cost: formatUsd(cost.nanos),
      }),
    );
  }
  return withRoutingHeaders(
    Response.json(format.renderCompletion(completion, usage, usdNumber(cost.nanos), upstreamBody)),
    routing,
    resolved,
  );
}
