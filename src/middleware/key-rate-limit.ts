// Per-key rate limits on inference routes; runs after requireApiKey. The key's override (or its
// tier's defaults) is read from an in-isolate cache, then one Upstash round trip counts the request
// and checks the token windows. Fails open when Upstash is slow or down (logged and sent to Sentry):
// refusing paid traffic because the limiter is unreachable is worse than briefly not limiting.
//
// Every response (errors included) carries the tightest request window:
//   x-ratelimit-limit      that window's limit
//   x-ratelimit-remaining  requests left in it
//   x-ratelimit-reset      seconds until it resets (like Retry-After, not an epoch time)
import { createMiddleware } from "hono/factory";
import { cachedRateLimitOverride } from "../db/rate-limit-configs";
import type { AppEnv } from "../env";
import { checkRequestLimits, describeLimit, effectiveLimits, type LimitState } from "../gateway/rate-limits";
import { ApiError } from "../lib/errors";

function secondsUntil(epochMs: number): number {
  return Math.max(1, Math.ceil((epochMs - Date.now()) / 1000));
}

function rateLimitHeaders(state: LimitState | undefined): Record<string, string> {
  if (!state) return {};
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-reset": String(secondsUntil(state.resetAt)),
  };
}

export const keyRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const auth = c.get("auth");
  // Only user keys are limited here: the bootstrap admin key has no key row, and anonymous callers
  // have their own per-IP limit.
  if (auth?.kind !== "user") {
    await next();
    return;
  }
  const { key, user } = auth;
  const sentry = c.var.sentry;
  const override = await cachedRateLimitOverride(
    () => c.var.db(),
    key.id,
    (error) => {
      console.error(
        JSON.stringify({
          msg: "rate limit override unreadable, tier defaults apply",
          request_id: c.var.requestId,
          api_key_id: key.id,
          error: String(error),
        }),
      );
      sentry?.captureException(error);
    },
  );
  const decision = await checkRequestLimits(c.var.config, key.id, effectiveLimits(user.tier, override), sentry);
  c.executionCtx.waitUntil(decision.pending);
  const headers = rateLimitHeaders(decision.tightest);

  if (!decision.allowed) {
    const { exceeded } = decision;
    throw new ApiError(
      429,
      `Rate limit exceeded: ${describeLimit(exceeded)} for this API key`,
      exceeded.kind === "requests" ? "rate_limit_exceeded" : "token_rate_limit_exceeded",
      null,
      { ...headers, "retry-after": String(secondsUntil(exceeded.resetAt)) },
    );
  }

  await next();
  // Set after the handler so they reach every response, including streams and errors further on.
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
});
