import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { presentedKey, requireApiKey } from "../../middleware/auth";
import { limitPerIp } from "../../middleware/ip-rate-limit";
import { createRouter } from "../router";
import * as cache from "./cache.handlers";
import * as cacheRoutes from "./cache.routes";
import * as events from "./events.handlers";
import * as routes from "./events.routes";

const withKey = requireApiKey({ scope: "inference", onExpiredTrial: "allow" });
const anonymousEvents = limitPerIp({ name: "anonymous-analytics", limit: () => 120, window: "1 m" });

/** A presented key must be valid (401 otherwise); without one the caller is anonymous, limited per IP. */
const optionalKey = createMiddleware<AppEnv>(async (c, next) => {
  if (presentedKey(c)) return withKey(c, next);
  c.set("auth", { kind: "anonymous", isAdmin: false });
  return anonymousEvents(c, next);
});

const router = createRouter();
const accountKey = requireApiKey({ scope: "account" });
// "/v1/analytics/cache/*" also matches "/v1/analytics/cache" itself.
router.use("/v1/analytics/cache/*", accountKey);
// /user/preferences is behind the "/user/*" key guard of the user routes (a second guard here would
// authenticate, and count the key's use, twice).
for (const route of [routes.logEventRoute, routes.logBatchRoute, routes.sessionStartRoute]) {
  router.use(route.path, optionalKey);
}

export const analyticsRoutes = router
  .openapi(routes.logEventRoute, events.logEvent)
  .openapi(routes.logBatchRoute, events.logBatch)
  .openapi(routes.sessionStartRoute, events.logSessionStart)
  .openapi(cacheRoutes.cacheAnalyticsRoute, cache.cacheAnalytics)
  .openapi(cacheRoutes.cacheSummaryRoute, cache.cacheSummary)
  .openapi(cacheRoutes.getPreferencesRoute, cache.getPreferences)
  .openapi(cacheRoutes.updatePreferencesRoute, cache.updatePreferences);
