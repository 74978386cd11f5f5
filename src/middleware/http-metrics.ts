// Counts every HTTP request into shared state (Upstash) for /metrics: http_requests_total{method,route,
// status} and http_request_duration_seconds{method,route}. The count is sent after the response
// (waitUntil), so it adds no latency; a failure to count is logged and never fails the request.
// /metrics itself is not counted (a scrape would count itself).
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../env";
import { recordHttpRequest } from "../operations/metrics-http";

/** Where the scrape lives: never counted. */
export const METRICS_PATH = "/metrics";

/**
 * The route pattern that answered (`/circuit-breakers/:provider`), or the one the request was headed
 * for when a middleware (auth) refused it; `unmatched` when no route matched (404). Middleware
 * entries are registered for every method (`ALL`), routes for theirs.
 */
export function routePatternOf(c: Context<AppEnv>): string {
  const routes = matchedRoutes(c);
  const current = routes[c.req.routeIndex];
  if (current && current.method !== "ALL") return current.path;
  const ahead = routes.slice(c.req.routeIndex + 1).find((route) => route.method !== "ALL");
  return ahead?.path ?? "unmatched";
}

export const countHttpRequests = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  try {
    const route = routePatternOf(c);
    if (route === METRICS_PATH) return;
    c.var.defer(
      recordHttpRequest(c.var.config, {
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: Date.now() - started,
      }),
    );
  } catch (error) {
    // Counting must never fail a request.
    console.error(JSON.stringify({ msg: "http request not counted for /metrics", error: String(error) }));
  }
});
