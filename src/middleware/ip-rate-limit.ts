// Per-client-IP limits for unauthenticated endpoints (registration). Fails open when Upstash is slow
// or down, and says so in the log and Sentry: losing signups is worse than a brief lack of limiting.
import { Ratelimit } from "@upstash/ratelimit";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Config } from "../env";
import { tooManyRequests } from "../lib/errors";
import { redisClient } from "../lib/redis";
import { clientIp } from "./auth";

type Duration = `${number} ${"s" | "m" | "h" | "d"}`;

interface IpLimitSpec {
  /** Redis key prefix: one namespace per limited endpoint. */
  name: string;
  limit: (config: Config) => number;
  window: Duration;
}

const limiters = new Map<string, Ratelimit>();

function limiterFor(spec: IpLimitSpec, config: Config): Ratelimit | undefined {
  const redis = redisClient(config);
  if (!redis) return undefined;
  const limit = spec.limit(config);
  const cacheKey = `${spec.name}:${limit}:${config.UPSTASH_REDIS_REST_URL}`;
  let limiter = limiters.get(cacheKey);
  if (!limiter) {
    limiter = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(limit, spec.window),
      prefix: `gw:ip:${spec.name}`,
      timeout: 1_000,
      analytics: false,
    });
    limiters.set(cacheKey, limiter);
  }
  return limiter;
}

export function limitPerIp(spec: IpLimitSpec) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const limiter = limiterFor(spec, c.var.config);
    if (!limiter) {
      console.warn(JSON.stringify({ msg: "ip rate limit skipped: Upstash not configured", limit: spec.name }));
      await next();
      return;
    }
    const identifier = clientIp(c) ?? "unknown";
    let outcome: Awaited<ReturnType<Ratelimit["limit"]>> | undefined;
    try {
      outcome = await limiter.limit(identifier);
      c.executionCtx.waitUntil(outcome.pending);
    } catch (error) {
      console.error(JSON.stringify({ msg: "ip rate limit failed open", limit: spec.name, error: String(error) }));
      c.var.sentry?.captureException(error);
    }
    if (outcome?.reason === "timeout") {
      console.error(JSON.stringify({ msg: "ip rate limit timed out, failed open", limit: spec.name }));
      c.var.sentry?.captureMessage(`ip rate limit ${spec.name} timed out`);
    }
    if (outcome && !outcome.success) {
      const retryAfter = Math.max(1, Math.ceil((outcome.reset - Date.now()) / 1000));
      throw tooManyRequests(
        `Rate limit exceeded: at most ${outcome.limit} per ${spec.window} per IP`,
        "rate_limit_exceeded",
        retryAfter,
      );
    }
    await next();
  });
}
