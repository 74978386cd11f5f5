// One Toucan client per request, only when SENTRY_DSN is set. Every event carries the request id, the
// route pattern, the user id (when authenticated), the release and the environment, and nothing
// secret: no API key, no Authorization header, no query string, no body (beforeSend scrubs the rest).
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { Toucan } from "toucan-js";
import type { AppEnv } from "../env";
import { API_VERSION } from "../lib/version";
import { scrubSecrets } from "../operations/error-classify";
import { configuredSecrets, routePatternOf } from "../operations/error-events";
import { presentedKey } from "./auth";

type ToucanOptions = NonNullable<ConstructorParameters<typeof Toucan>[0]>;
type SentryEvent = Parameters<NonNullable<ToucanOptions["beforeSend"]>>[0];

/** Headers an event may carry; Authorization, x-api-key and cookies are never among them. */
const allowedHeaders = ["user-agent", "x-request-id", "content-type", "cf-ray"];

/** The seed samples admin paths at 50 % (SENTRY_ADMIN_SAMPLE_RATE); the rest at SENTRY_SAMPLE_RATE. */
export function sentrySampleRate(path: string, config: AppEnv["Variables"]["config"]): number {
  return path === "/admin" || path.startsWith("/admin/") ? config.SENTRY_ADMIN_SAMPLE_RATE : config.SENTRY_SAMPLE_RATE;
}

/** Replaces every string in a JSON-like value with its scrubbed form. */
function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return scrubSecrets(item, secrets);
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === "object" && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    }
    return item;
  };
  return walk(value) as T;
}

/** Fills the request's identity in at send time (auth runs after this middleware) and scrubs. */
function beforeSend(c: Context<AppEnv>, event: SentryEvent): SentryEvent {
  const auth = c.get("auth");
  event.tags = {
    ...event.tags,
    request_id: c.get("requestId"),
    route: routePatternOf(c) ?? "unmatched",
    auth: auth?.kind ?? "none",
  };
  if (auth?.kind === "user") event.user = { id: String(auth.user.id) };
  else delete event.user;
  if (event.request) {
    // Bodies (prompts) and query strings (keys given as ?api_key=) never leave.
    delete event.request.data;
    delete event.request.query_string;
    delete event.request.cookies;
  }
  const key = presentedKey(c);
  return scrubDeep(event, [...configuredSecrets(c.env), ...(key ? [key] : [])]);
}

export const sentry = createMiddleware<AppEnv>(async (c, next) => {
  const config = c.var.config;
  if (config.SENTRY_DSN) {
    const client = new Toucan({
      dsn: config.SENTRY_DSN,
      request: c.req.raw,
      context: c.executionCtx,
      environment: config.ENVIRONMENT,
      release: config.RELEASE ?? API_VERSION,
      sampleRate: sentrySampleRate(c.req.path, config),
      requestDataOptions: { allowedHeaders, allowedCookies: false, allowedSearchParams: false, allowedIps: false },
      beforeSend: (event) => beforeSend(c, event),
    });
    client.setTag("request_id", c.var.requestId);
    c.set("sentry", client);
  } else {
    c.set("sentry", undefined);
  }
  await next();
});
