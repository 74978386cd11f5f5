// The app factory: middleware order, the one error envelope, OpenAPI document and docs page.

import { swaggerUI } from "@hono/swagger-ui";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { isDatabaseUnavailable } from "./db/client";
import { type AppEnv, ConfigError } from "./env";
import { ApiError } from "./lib/errors";
import { API_VERSION } from "./lib/version";
import { config } from "./middleware/config";
import { database } from "./middleware/database";
import { countHttpRequests } from "./middleware/http-metrics";
import { requestId } from "./middleware/request-id";
import { sentry } from "./middleware/sentry";
import { scrubSecrets } from "./operations/error-classify";
import { configuredSecrets, reportServerError, routePatternOf } from "./operations/error-events";
import { adminCatalogCacheRoutes } from "./routes/admin/catalog-cache";
import { adminCouponRoutes } from "./routes/admin/coupons";
import { adminDowntimeRoutes } from "./routes/admin/downtime";
import { adminLimitRoutes } from "./routes/admin/limits";
import { adminModelSyncRoutes } from "./routes/admin/model-sync";
import { adminMonitorRoutes } from "./routes/admin/monitor";
import { adminMonitoringRoutes } from "./routes/admin/monitoring";
import { adminUserRoutes } from "./routes/admin/users";
import { aiSdkRoutes } from "./routes/ai-sdk";
import { analyticsRoutes } from "./routes/analytics";
import { authRoutes } from "./routes/auth";
import { catalogRoutes } from "./routes/catalog";
import { chatRoutes } from "./routes/chat";
import { chatSessionRoutes } from "./routes/chat-sessions";
import { circuitBreakerRoutes } from "./routes/circuit-breakers";
import { codeRouterRoutes } from "./routes/code-router";
import { couponRoutes } from "./routes/coupons";
import { creditRoutes } from "./routes/credits";
import { diagnosticsRoutes } from "./routes/diagnostics";
import { embeddingsRoutes } from "./routes/embeddings";
import { errorMonitorRoutes } from "./routes/error-monitor";
import { errorResponse } from "./routes/error-response";
import { generationRoutes } from "./routes/generation";
import { healthRoutes } from "./routes/health";
import { huggingFaceRoutes } from "./routes/huggingface";
import { imagesRoutes } from "./routes/images";
import { messagesRoutes } from "./routes/messages";
import { metricsRoutes } from "./routes/metrics";
import { modelRoutes } from "./routes/models";
import { monitoringApiRoutes } from "./routes/monitoring";
import { responsesRoutes } from "./routes/responses";
import { validationHook } from "./routes/router";
import { throughputRoutes } from "./routes/throughput";
import { userRoutes } from "./routes/user";

/** The log line and the Sentry event of an unexpected error (Sentry adds route, user and release itself). */
function logError(c: Context<AppEnv>, error: unknown): void {
  // Scrubbed like events: a failed query's parameters or a key in a message never reach the log.
  const secrets = configuredSecrets(c.env);
  console.error(
    JSON.stringify({
      msg: "unhandled error",
      request_id: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      route: routePatternOf(c),
      error: scrubSecrets(error instanceof Error ? `${error.name}: ${error.message}` : String(error), secrets),
      cause:
        error instanceof Error && error.cause !== undefined ? scrubSecrets(String(error.cause), secrets) : undefined,
    }),
  );
  c.get("sentry")?.captureException(error);
}

const corsByOrigins = new Map<string, MiddlewareHandler>();

function corsFor(setting: string): MiddlewareHandler {
  let handler = corsByOrigins.get(setting);
  if (!handler) {
    const origins = setting.split(",").map((origin) => origin.trim());
    handler = cors({
      origin: origins.includes("*") ? "*" : origins,
      allowHeaders: ["authorization", "content-type", "x-api-key", "x-request-id", "anthropic-version"],
      exposeHeaders: [
        "x-request-id",
        "retry-after",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-gateway-cache",
        "x-gateway-routed-model",
        "x-gateway-routing",
        "x-gateway-token-count",
      ],
      maxAge: 600,
    });
    corsByOrigins.set(setting, handler);
  }
  return handler;
}

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestId);
  // Runs before config parsing so preflights and error responses carry CORS headers too.
  app.use("*", (c, next) => corsFor(c.env.CORS_ORIGINS ?? "*")(c, next));
  app.use("*", config);
  app.use("*", sentry);
  app.use("*", database);
  app.use("*", countHttpRequests);

  app.route("/", healthRoutes);
  app.route("/", authRoutes);
  app.route("/", userRoutes);
  app.route("/", chatRoutes);
  app.route("/", chatSessionRoutes);
  app.route("/", aiSdkRoutes);
  app.route("/", analyticsRoutes);
  app.route("/", generationRoutes);
  app.route("/", messagesRoutes);
  app.route("/", embeddingsRoutes);
  app.route("/", imagesRoutes);
  app.route("/", responsesRoutes);
  app.route("/", circuitBreakerRoutes);
  app.route("/", codeRouterRoutes);
  app.route("/", diagnosticsRoutes);
  app.route("/", adminLimitRoutes);
  app.route("/", modelRoutes);
  app.route("/", catalogRoutes);
  app.route("/", huggingFaceRoutes);
  app.route("/", adminModelSyncRoutes);
  app.route("/", adminCatalogCacheRoutes);
  app.route("/", creditRoutes);
  app.route("/", adminUserRoutes);
  app.route("/", couponRoutes);
  app.route("/", adminCouponRoutes);
  app.route("/", adminMonitorRoutes);
  app.route("/", adminMonitoringRoutes);
  app.route("/", throughputRoutes);
  app.route("/", metricsRoutes);
  app.route("/", monitoringApiRoutes);
  app.route("/", errorMonitorRoutes);
  app.route("/", adminDowntimeRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A gateway API key (gw_live_…), or ADMIN_API_KEY on admin routes",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKeyHeader", {
    type: "apiKey",
    in: "header",
    name: "x-api-key",
    description: "The same API key in Anthropic's header",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Edge LLM Gateway",
      version: API_VERSION,
      description: "One API key, every model: an OpenAI- and Anthropic-compatible LLM gateway.",
    },
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: "Edge LLM Gateway API" }));

  app.notFound((c) => errorResponse(c, 404, `No route for ${c.req.method} ${c.req.path}`, "route_not_found"));

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      if (error.status >= 500) reportServerError(c, error, error.status);
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return errorResponse(c, error.status, error.message, error.code, error.param);
    }
    if (error instanceof HTTPException) {
      // Hono's own rejections (e.g. malformed JSON from the validator) keep their status.
      const malformedJson = /json/i.test(error.message);
      return errorResponse(
        c,
        error.status,
        error.message || "Bad request",
        malformedJson ? "invalid_json" : "http_error",
      );
    }
    logError(c, error);
    const status = isDatabaseUnavailable(error) ? 503 : 500;
    reportServerError(c, error, status);
    if (error instanceof ConfigError) return errorResponse(c, 500, error.message, "invalid_configuration");
    if (isDatabaseUnavailable(error)) {
      return errorResponse(c, 503, "The database is unavailable; try again shortly", "database_unavailable");
    }
    return errorResponse(c, 500, "Internal server error", "internal_error");
  });

  return app;
}
