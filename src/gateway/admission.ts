// Steps every pipeline (chat and non-chat) shares before and after dispatch: planning the attempts
// for some model ids, taking the key's concurrency slot, and logging a request no attempt answered.
import type { AttemptFailure } from "./attempts";
import { breakerAllows } from "./breakers";
import { catalogProvidersOf } from "./catalog-routes";
import { acquireSlots, type HeldSlots, keyGateName } from "./concurrency";
import type { InferenceContext } from "./context";
import { type PlannedAttempts, parseFailoverMap, planAttempts } from "./failover";
import type { ResolveDeps, ResolvedModel } from "./resolve-model";
import { noUsage, type Outcome, settleLater } from "./settle";

/** The attempts for these model ids: configured providers, the `provider` field, FAILOVER_MAP, closed breakers. */
export function planModels(ctx: InferenceContext, models: string[], providerField: unknown): Promise<PlannedAttempts> {
  return planAttempts(models, providerField, parseFailoverMap(ctx.config.FAILOVER_MAP), resolveDepsOf(ctx), (name) =>
    breakerAllows(ctx.env, name, ctx.defer),
  );
}

/** What resolving a model id needs from the request's surroundings. */
export function resolveDepsOf(ctx: InferenceContext): ResolveDeps {
  return {
    env: ctx.env,
    environment: ctx.config.ENVIRONMENT,
    defaultProvider: ctx.config.DEFAULT_PROVIDER,
    catalogProvidersOf: (model) => catalogProvidersOf(ctx, model),
  };
}

/** The key's concurrency slot (not gated when the key has no cap); release it when the response ends. */
export function acquireKeySlot(ctx: InferenceContext): Promise<HeldSlots> {
  return acquireSlots(
    ctx.env,
    [
      {
        name: keyGateName(ctx.caller.apiKeyId ?? "anonymous"),
        limit: ctx.caller.concurrencyLimit,
        queueLimit: ctx.config.CONCURRENCY_QUEUE_SIZE,
      },
    ],
    {
      leaseId: `${ctx.requestId}:key`,
      waitTimeoutMs: ctx.config.CONCURRENCY_QUEUE_TIMEOUT_MS,
      onGateError: (_gate, error) => ctx.sentry?.captureException(error),
    },
  );
}

/** Whether the caller's key may use this attempt (an empty allowlist allows every model). */
export function modelAllowed(ctx: InferenceContext, requested: string, resolved: ResolvedModel): boolean {
  const allowed = ctx.caller.allowedModels;
  if (allowed.length === 0) return true;
  return allowed.includes(requested) || allowed.includes(`${resolved.providerId}/${resolved.upstreamModel}`);
}

export function describeFailures(failures: AttemptFailure[]): string {
  const text = failures.map((failure) => `${failure.provider}/${failure.model}: ${failure.reason}`).join("; ");
  return `all attempts failed: ${text}`.slice(0, 1000);
}

/** Logs a request that produced no answer: no tokens, no charge, the attempts that failed. */
export function settleUnanswered(
  ctx: InferenceContext,
  failed: Pick<Outcome, "requestedModel" | "endpoint" | "stream" | "startedAt" | "httpStatus" | "errorMessage"> & {
    resolved: ResolvedModel | undefined;
    attempts: AttemptFailure[];
  },
): void {
  settleLater(ctx, {
    requestedModel: failed.requestedModel,
    provider: failed.resolved?.providerId ?? null,
    upstreamModel: failed.resolved?.upstreamModel ?? null,
    endpoint: failed.endpoint,
    stream: failed.stream,
    startedAt: failed.startedAt,
    status: "failed",
    httpStatus: failed.httpStatus,
    usage: noUsage,
    usageEstimated: false,
    catalog: { modelId: null, prices: undefined },
    cost: { nanos: 0n, priced: true },
    firstTokenAt: null,
    finishReason: null,
    errorMessage: failed.errorMessage,
    attempts: failed.attempts,
  });
}
