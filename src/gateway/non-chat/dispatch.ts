// The chat pipeline's machinery for a non-chat upstream call (embeddings, images): credit pre-check →
// plan attempts (model fallbacks, provider order, FAILOVER_MAP, open breakers skipped) → the key's
// allowed models → which attempts can serve this kind of request → concurrency gates → dispatch with
// retries and failover → read the answer. A request no attempt answered is logged as failed here; the
// caller prices and settles the answered one.
import type { InferenceRecord } from "../../db/inference";
import { ApiError, badRequest, forbidden, serviceUnavailable } from "../../lib/errors";
import type { UpstreamRequest } from "../../providers/types";
import { acquireKeySlot, describeFailures, modelAllowed, planModels, settleUnanswered } from "../admission";
import { type AttemptFailure, AttemptsFailed, dispatchWithFailover } from "../attempts";
import type { InferenceContext } from "../context";
import { ensureCredit } from "../credit-check";
import type { ResolvedModel } from "../resolve-model";
import { type ModelTraits, modelTraitsFor } from "./catalog-traits";

export type NonChatEndpoint = Extract<InferenceRecord["endpoint"], "embeddings" | "images">;

/** What the catalog says about an attempt's model: its traits, not listed (null), or unreadable. */
export type CatalogView = ModelTraits | null | "unavailable";

export interface NonChatCall<Parsed> {
  endpoint: NonChatEndpoint;
  /** The client's model, its fallback models (`models`) and its `provider` field. */
  model: string;
  fallbackModels: string[];
  providerField: unknown;
  /** When the catalog cannot be read: refuse (503) instead of pricing the request afterwards. */
  catalogRequired: boolean;
  /** Why this attempt cannot serve the request (a clear message for the client); undefined if it can. */
  unsupported(resolved: ResolvedModel, catalog: CatalogView): string | undefined;
  build(resolved: ResolvedModel): UpstreamRequest;
  /** Reads the upstream's JSON body; throws when it is not what the API promises. */
  parse(resolved: ResolvedModel, body: unknown): Parsed;
}

export interface NonChatAnswer<Parsed> {
  resolved: ResolvedModel;
  parsed: Parsed;
  catalog: CatalogView;
  /** Failed attempts before the answer (failover), for the request log. */
  failures: AttemptFailure[];
  startedAt: number;
}

async function catalogViewOf(ctx: InferenceContext, resolved: ResolvedModel, required: boolean): Promise<CatalogView> {
  try {
    return await modelTraitsFor(ctx, resolved.providerId, resolved.upstreamModel);
  } catch (error) {
    console.error(
      JSON.stringify({
        msg: "catalog lookup failed",
        request_id: ctx.requestId,
        provider: resolved.providerId,
        model: resolved.upstreamModel,
        error: String(error),
      }),
    );
    ctx.sentry?.captureException(error);
    if (required) {
      throw serviceUnavailable(
        "The model catalog cannot be read, so this request cannot be priced; try again shortly",
        "database_unavailable",
      );
    }
    return "unavailable";
  }
}

/** The attempts that can serve the call, each with its catalog view; a 400 when none can. */
async function capableAttempts<Parsed>(
  call: NonChatCall<Parsed>,
  attempts: ResolvedModel[],
  ctx: InferenceContext,
): Promise<{ resolved: ResolvedModel; catalog: CatalogView }[]> {
  const views = await Promise.all(attempts.map((resolved) => catalogViewOf(ctx, resolved, call.catalogRequired)));
  const capable: { resolved: ResolvedModel; catalog: CatalogView }[] = [];
  let refusal: string | undefined;
  for (const [index, resolved] of attempts.entries()) {
    const catalog = views[index] ?? "unavailable";
    const reason = call.unsupported(resolved, catalog);
    if (reason === undefined) capable.push({ resolved, catalog });
    else refusal ??= reason;
  }
  if (capable.length === 0) {
    throw badRequest(refusal ?? `Model '${call.model}' cannot serve this request`, "unsupported_model", "model");
  }
  return capable;
}

export async function runNonChat<Parsed>(
  call: NonChatCall<Parsed>,
  ctx: InferenceContext,
): Promise<NonChatAnswer<Parsed>> {
  const startedAt = Date.now();
  await ensureCredit(ctx);
  const plan = await planModels(ctx, [call.model, ...call.fallbackModels], call.providerField);
  const allowed = plan.attempts.filter((resolved) => modelAllowed(ctx, call.model, resolved));
  if (allowed.length === 0) throw forbidden(`This API key may not use model '${call.model}'`, "model_not_allowed");
  const capable = await capableAttempts(call, allowed, ctx);
  const attempts = capable.map((entry) => entry.resolved);

  const keySlot = await acquireKeySlot(ctx);
  const failedBase = { requestedModel: call.model, endpoint: call.endpoint, stream: false, startedAt };
  let answered: Awaited<ReturnType<typeof dispatchWithFailover>>;
  try {
    answered = await dispatchWithFailover(ctx, attempts, call.build);
  } catch (error) {
    ctx.defer(keySlot.release());
    if (!(error instanceof AttemptsFailed)) throw error;
    settleUnanswered(ctx, {
      ...failedBase,
      resolved: attempts[0],
      httpStatus: error.clientError.status,
      errorMessage: describeFailures(error.failures),
      attempts: error.failures,
    });
    throw error.clientError;
  }

  const { resolved, dispatched, failures, providerSlot } = answered;
  if (failures.length > 0) {
    console.warn(
      JSON.stringify({ msg: "failover", request_id: ctx.requestId, failures, served_by: resolved.providerId }),
    );
  }
  let parsed: Parsed;
  try {
    parsed = call.parse(resolved, await dispatched.response.json());
  } catch (error) {
    const message = `Provider '${resolved.providerId}' sent an unreadable response`;
    console.error(JSON.stringify({ msg: message, request_id: ctx.requestId, error: String(error) }));
    settleUnanswered(ctx, { ...failedBase, resolved, httpStatus: 502, errorMessage: message, attempts: failures });
    throw new ApiError(502, message, "provider_bad_response");
  } finally {
    dispatched.clearTimer();
    ctx.defer(Promise.all([keySlot.release(), providerSlot.release()]));
  }
  const catalog = capable.find((entry) => entry.resolved === resolved)?.catalog ?? "unavailable";
  return { resolved, parsed, catalog, failures, startedAt };
}
