// Running a request's planned attempts until one answers: retries of the same provider (backoff with
// jitter, honouring a short Retry-After) for transient failures, then the next provider. Everything
// here happens before the first byte reaches the client. Outcomes go to the circuit breakers.
import { ApiError } from "../lib/errors";
import { recordUpstreamFailure } from "../operations/error-events";
import type { UpstreamRequest } from "../providers/types";
import { modelBreaker, providerBreaker, reportOutcome } from "./breakers";
import { acquireSlots, type HeldSlots, providerConcurrencyLimit, providerGateName } from "./concurrency";
import type { InferenceContext } from "./context";
import { retryDelayMs } from "./failover";
import type { ResolvedModel } from "./resolve-model";
import { clientErrorFor, timeoutError, unreachableError } from "./upstream-errors";

export interface Dispatched {
  response: Response;
  abort: AbortController;
  clearTimer: () => void;
}

/** One failed attempt, as the request log and the final 502 report it. */
export interface AttemptFailure {
  provider: string;
  model: string;
  status: number;
  reason: string;
}

export interface Answered {
  resolved: ResolvedModel;
  dispatched: Dispatched;
  failures: AttemptFailure[];
  /** The answering provider's concurrency slot: release it when the response has ended. */
  providerSlot: HeldSlots;
}

/** Client mistakes: another provider would refuse them too, so they end the request at once. */
const clientFault = new Set([400, 404, 409, 413, 422]);
/** Retries of the same provider beyond the first try (transient failures only). */
const sameProviderRetries = 1;
/** A Retry-After longer than this moves on to the next provider instead of waiting. */
const maxRetryAfterWaitSeconds = 5;

/** Sends one request; the timeout covers the wait for response headers. */
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

function report(
  ctx: InferenceContext,
  resolved: ResolvedModel,
  outcome: "success" | "failure" | "rate_limited",
  reason: string | null,
) {
  reportOutcome(ctx.env, providerBreaker(resolved.providerId), outcome, reason, ctx.defer);
  reportOutcome(ctx.env, modelBreaker(resolved.providerId, resolved.upstreamModel), outcome, reason, ctx.defer);
}

export class AttemptsFailed extends Error {
  constructor(
    readonly failures: AttemptFailure[],
    /** What the client is told: the only attempt's own error, or a 502 listing every attempt. */
    readonly clientError: ApiError,
  ) {
    super(clientError.message);
    this.name = "AttemptsFailed";
  }
}

export async function dispatchWithFailover(
  ctx: InferenceContext,
  attempts: ResolvedModel[],
  callFor: (resolved: ResolvedModel) => UpstreamRequest,
): Promise<Answered> {
  const failures: AttemptFailure[] = [];
  let lastError: ApiError | undefined;
  for (const [attemptIndex, resolved] of attempts.entries()) {
    let providerSlot: HeldSlots;
    try {
      providerSlot = await acquireSlots(
        ctx.env,
        [
          {
            name: providerGateName(resolved.providerId),
            limit: providerConcurrencyLimit(ctx.env, resolved.providerId),
            queueLimit: ctx.config.CONCURRENCY_QUEUE_SIZE,
          },
        ],
        {
          leaseId: `${ctx.requestId}:${attemptIndex}`,
          waitTimeoutMs: ctx.config.CONCURRENCY_QUEUE_TIMEOUT_MS,
          onGateError: (_gate, error) => ctx.sentry?.captureException(error),
        },
      );
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      // This provider is at its concurrency limit: a full provider is another reason to fail over.
      failures.push({
        provider: resolved.providerId,
        model: resolved.upstreamModel,
        status: caught.status,
        reason: caught.message,
      });
      lastError = caught;
      continue;
    }
    for (let retry = 0; retry <= sameProviderRetries; retry++) {
      let retryAfter: number | undefined;
      let error: ApiError;
      let transient = false;
      try {
        const dispatched = await dispatch(ctx, resolved, callFor(resolved));
        const { response } = dispatched;
        if (response.ok) {
          report(ctx, resolved, "success", null);
          return { resolved, dispatched, failures, providerSlot };
        }
        dispatched.clearTimer();
        const upstream = resolved.adapter.parseError(response.status, await response.text(), response.headers);
        error = clientErrorFor(upstream, resolved.providerId);
        retryAfter = upstream.retryAfterSeconds;
        const reason = `HTTP ${response.status}: ${upstream.message}`.slice(0, 300);
        failures.push({
          provider: resolved.providerId,
          model: resolved.upstreamModel,
          status: response.status,
          reason,
        });
        if (clientFault.has(response.status)) {
          // The client's own mistake: not the provider's failure, and no other provider would differ.
          await providerSlot.release();
          throw new AttemptsFailed(failures, error);
        }
        recordUpstreamFailure(ctx, {
          requestId: ctx.requestId,
          provider: resolved.providerId,
          model: resolved.upstreamModel,
          status: response.status,
          reason,
        });
        if (response.status === 429) {
          report(ctx, resolved, "rate_limited", reason);
        } else {
          report(ctx, resolved, "failure", reason);
          transient = response.status >= 500;
        }
      } catch (caught) {
        if (caught instanceof AttemptsFailed) throw caught;
        if (!(caught instanceof ApiError)) {
          await providerSlot.release();
          throw caught;
        }
        error = caught;
        transient = true;
        failures.push({
          provider: resolved.providerId,
          model: resolved.upstreamModel,
          status: caught.status,
          reason: caught.message,
        });
        report(ctx, resolved, "failure", caught.message);
        if (caught.status >= 500) {
          recordUpstreamFailure(ctx, {
            requestId: ctx.requestId,
            provider: resolved.providerId,
            model: resolved.upstreamModel,
            status: caught.status,
            reason: caught.message,
            timedOut: caught.code === "provider_timeout",
          });
        }
      }
      lastError = error;
      const canWait = retryAfter === undefined || retryAfter <= maxRetryAfterWaitSeconds;
      if (!transient || retry >= sameProviderRetries || !canWait) break;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(retry, retryAfter)));
    }
    await providerSlot.release();
  }
  // With one provider to try, its own error says most (a 429 stays a 429); with several, list them all.
  const only = attempts.length === 1 && lastError ? lastError : undefined;
  const summary = failures.map((failure) => `${failure.provider}/${failure.model} (${failure.reason})`).join("; ");
  throw new AttemptsFailed(
    failures,
    only ?? new ApiError(502, `All providers failed: ${summary}`, "all_providers_failed"),
  );
}
