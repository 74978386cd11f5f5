// Bindings, per-request variables, and the config schema every variable is read through once.
import { z } from "@hono/zod-openapi";
import type { Toucan } from "toucan-js";
import type { Database, SqlDatabase } from "./db/client";
import type { AuthContext } from "./middleware/auth-context";

/** Raw bindings as Workers hands them over: vars and secrets are strings. */
export interface Env {
  CIRCUIT_BREAKER?: DurableObjectNamespace<import("./durable-objects/circuit-breaker").CircuitBreaker>;
  CONCURRENCY_GATE?: DurableObjectNamespace<import("./durable-objects/concurrency-gate").ConcurrencyGate>;
  SETTLEMENT_OUTBOX?: DurableObjectNamespace<import("./durable-objects/settlement-outbox").SettlementOutbox>;
  ENVIRONMENT?: string;
  DATABASE_URL?: string;
  NEON_WS_PROXY?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  ADMIN_API_KEY?: string;
  SENTRY_DSN?: string;
  CORS_ORIGINS?: string;
  AUTH_CACHE_TTL_SECONDS?: string;
  AUTH_NEGATIVE_CACHE_TTL_SECONDS?: string;
  REGISTER_RATE_LIMIT_PER_HOUR?: string;
  LOGIN_RATE_LIMIT_PER_15_MINUTES?: string;
  PASSWORD_RESET_RATE_LIMIT_PER_HOUR?: string;
  SIGNUP_CREDITS_USD?: string;
  TRIAL_DAYS?: string;
  MAX_API_KEYS_PER_USER?: string;
  DISPOSABLE_EMAIL_DOMAINS?: string;
  BLOCKED_EMAIL_DOMAINS?: string;
  DEFAULT_PROVIDER?: string;
  ANONYMOUS_ALLOWED_MODELS?: string;
  ANONYMOUS_RATE_LIMIT_PER_MINUTE?: string;
  CONCURRENCY_QUEUE_SIZE?: string;
  CONCURRENCY_QUEUE_TIMEOUT_MS?: string;
  UPSTREAM_TIMEOUT_MS?: string;
  FAILOVER_MAP?: string;
  ADMIN_MAX_CREDIT_GRANT?: string;
  ADMIN_DAILY_GRANT_LIMIT?: string;
  BALANCE_CACHE_TTL_SECONDS?: string;
  BALANCE_RECHECK_BELOW_USD?: string;
  MODEL_SYNC_MAX_PAGES?: string;
  MODEL_SYNC_INTERVAL_MINUTES?: string;
  MODEL_SYNC_PROVIDERS_PER_RUN?: string;
  CATALOG_CACHE_TTL_SECONDS?: string;
  HUGGINGFACE_HUB_URL?: string;
  MODELS_DEV_URL?: string;
  AUTH_JWKS_URL?: string;
  AUTH_ISSUER?: string;
  AUTH_AUDIENCE?: string;
  SIGN_IN_KEY_TTL_DAYS?: string;
  EMAIL_API_URL?: string;
  EMAIL_API_KEY?: string;
  EMAIL_FROM?: string;
  PASSWORD_RESET_URL?: string;
  PASSWORD_RESET_TOKEN_TTL_MINUTES?: string;
  RELEASE?: string;
  SENTRY_SAMPLE_RATE?: string;
  SENTRY_ADMIN_SAMPLE_RATE?: string;
  METRICS_TOKEN?: string;
  ERROR_MONITOR_MODEL?: string;
  GITHUB_TOKEN?: string;
  GITHUB_REPO?: string;
  GITHUB_API_URL?: string;
  LOKI_URL?: string;
  LOKI_USERNAME?: string;
  LOKI_API_KEY?: string;
  LOKI_QUERY?: string;
  INCIDENT_FAILURE_THRESHOLD?: string;
  INCIDENT_RECOVERY_THRESHOLD?: string;
  POSTHOG_HOST?: string;
  POSTHOG_API_KEY?: string;
  STATSIG_API_URL?: string;
  STATSIG_SERVER_SECRET_KEY?: string;
  RESPONSE_CACHE_TTL_SECONDS?: string;
  [key: string]: unknown;
}

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim().toLowerCase())
      .filter((item) => item.length > 0),
  );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "production"]).default("production"),
  DATABASE_URL: z.string().url().optional(),
  NEON_WS_PROXY: z
    .string()
    .regex(/^[\w.-]+:\d+$/, "must be host:port of a local Neon WebSocket bridge")
    .optional(),
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  ADMIN_API_KEY: z.string().min(10, "must be at least 10 characters").optional(),
  SENTRY_DSN: z.string().url().optional(),
  CORS_ORIGINS: z.string().default("*"),
  AUTH_CACHE_TTL_SECONDS: positiveInt(30),
  AUTH_NEGATIVE_CACHE_TTL_SECONDS: positiveInt(5),
  REGISTER_RATE_LIMIT_PER_HOUR: positiveInt(3),
  LOGIN_RATE_LIMIT_PER_15_MINUTES: positiveInt(10),
  PASSWORD_RESET_RATE_LIMIT_PER_HOUR: positiveInt(3),
  SIGNUP_CREDITS_USD: z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, "must be a decimal USD amount")
    .default("5"),
  TRIAL_DAYS: positiveInt(3),
  MAX_API_KEYS_PER_USER: positiveInt(25),
  DEFAULT_PROVIDER: z.string().min(1).default("openrouter"),
  /** Models usable without an API key on /v1/chat/completions; empty = no anonymous use. */
  ANONYMOUS_ALLOWED_MODELS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  ANONYMOUS_RATE_LIMIT_PER_MINUTE: positiveInt(10),
  CONCURRENCY_QUEUE_SIZE: z.coerce.number().int().min(0).default(50),
  CONCURRENCY_QUEUE_TIMEOUT_MS: positiveInt(10_000),
  /** An upstream that has not started answering by then is a 504 (seed: 55 s). */
  UPSTREAM_TIMEOUT_MS: positiveInt(55_000),
  FAILOVER_MAP: z
    .string()
    .optional()
    .refine((value) => {
      if (value === undefined) return true;
      try {
        const parsed: unknown = JSON.parse(value);
        return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
      } catch {
        return false;
      }
    }, 'must be a JSON object such as {"openrouter": ["together"]}'),
  DISPOSABLE_EMAIL_DOMAINS: commaList,
  BLOCKED_EMAIL_DOMAINS: commaList,
  /** The models.dev catalog whose prices and limits fill what a provider's own model list leaves out; "off" disables. */
  MODELS_DEV_URL: z.union([z.literal("off"), z.string().url()]).default("https://models.dev/api.json"),
  /** The Hugging Face Hub (author listings, model info); the HF model list itself is HUGGINGFACE_CATALOG_URL. */
  HUGGINGFACE_HUB_URL: z.string().url().default("https://huggingface.co"),
  /** How long an isolate serves the catalog read APIs from memory before re-checking for a newer sync. */
  CATALOG_CACHE_TTL_SECONDS: positiveInt(300),
  /** The cron syncs at most this many providers per run (Workers' subrequest and CPU limits). */
  MODEL_SYNC_PROVIDERS_PER_RUN: positiveInt(4),
  /** A provider synced less than this long ago is not due for the cron. */
  MODEL_SYNC_INTERVAL_MINUTES: positiveInt(360),
  /** A model list longer than this many pages is treated as a runaway pagination loop. */
  MODEL_SYNC_MAX_PAGES: positiveInt(200),
  /** The most one admin grant may add (USD). */
  ADMIN_MAX_CREDIT_GRANT: z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, "must be a decimal USD amount")
    .default("1000"),
  /** The most one admin may grant in any 24 hours (USD). */
  ADMIN_DAILY_GRANT_LIMIT: z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, "must be a decimal USD amount")
    .default("5000"),
  /** How long an isolate trusts a user's balance it has seen (the credit pre-check skips Postgres). */
  BALANCE_CACHE_TTL_SECONDS: positiveInt(5),
  /** Below this balance every request re-reads it from Postgres before reaching a provider. */
  BALANCE_RECHECK_BELOW_USD: z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, "must be a decimal USD amount")
    .default("1"),
  /** POST /auth: the identity provider's JSON Web Key Set; sign-in is off until this and AUTH_ISSUER are set. */
  AUTH_JWKS_URL: z.string().url().optional(),
  /** The `iss` an identity token must carry. */
  AUTH_ISSUER: z.string().min(1).optional(),
  /** The `aud` an identity token must carry (recommended; unchecked when unset). */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** How long the key POST /auth issues to a returning user stays valid. */
  SIGN_IN_KEY_TTL_DAYS: positiveInt(30),
  /** A Resend-compatible send endpoint (POST {from, to, subject, text, html}, Bearer EMAIL_API_KEY). */
  EMAIL_API_URL: z.string().url().default("https://api.resend.com/emails"),
  EMAIL_API_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(3).default("Edge LLM Gateway <no-reply@gateway.invalid>"),
  /** The recovery link in the email: the token is appended as `token=…`. */
  PASSWORD_RESET_URL: z.string().url().default("http://localhost:8787/auth/reset-password"),
  PASSWORD_RESET_TOKEN_TTL_MINUTES: positiveInt(60),
  /** The release Sentry events and /metrics name (e.g. a git sha); defaults to the API version. */
  RELEASE: z.string().min(1).optional(),
  /** The share of unexpected errors sent to Sentry (0–1). */
  SENTRY_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
  /** The same for /admin paths (the seed samples them at 50 %). */
  SENTRY_ADMIN_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.5),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** The model the error monitor asks for fix suggestions, through the gateway's own pipeline. */
  ERROR_MONITOR_MODEL: z.string().min(1).optional(),
  /** With GITHUB_REPO ("owner/name"): fix suggestions are opened as pull requests. */
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_REPO: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name")
    .optional(),
  GITHUB_API_URL: z.string().url().default("https://api.github.com"),
  /** Grafana Loki: incident log capture and error scans also query its query_range API when set. */
  LOKI_URL: z.string().url().optional(),
  LOKI_USERNAME: z.string().min(1).optional(),
  LOKI_API_KEY: z.string().min(1).optional(),
  LOKI_QUERY: z.string().min(1).default('{app="edge-llm-gateway"}'),
  /** Consecutive failed health checks (one a minute) that open a downtime incident. */
  INCIDENT_FAILURE_THRESHOLD: positiveInt(3),
  /** Consecutive good health checks that resolve it. */
  INCIDENT_RECOVERY_THRESHOLD: positiveInt(2),
  /** Product analytics sinks: events are stored first, then forwarded to each configured one. */
  POSTHOG_HOST: z.string().url().default("https://us.i.posthog.com"),
  POSTHOG_API_KEY: z.string().min(1).optional(),
  STATSIG_API_URL: z.string().url().default("https://events.statsigapi.net/v1"),
  STATSIG_SERVER_SECRET_KEY: z.string().min(1).optional(),
  /** How long an opted-in answer is served from the response cache. */
  RESPONSE_CACHE_TTL_SECONDS: positiveInt(3600),
});

export type Config = z.infer<typeof configSchema>;

/** Provider settings follow a pattern (`<SLUG>_API_KEY`, `_BASE_URL`, `_CATALOG_URL`, `_MAX_CONCURRENCY`). */
const providerVariable = /^[A-Z][A-Z0-9_]*_(API_KEY|BASE_URL|CATALOG_URL|MAX_CONCURRENCY)$/;

/** Whether an environment variable is gateway configuration (the dev launcher passes these through). */
export function isConfigVariable(name: string): boolean {
  return name in configSchema.shape || providerVariable.test(name);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid gateway configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

const parsedConfigs = new WeakMap<object, Config>();

/** Parses the bindings once per env object; errors name each offending variable. */
export function readConfig(env: Env): Config {
  const cached = parsedConfigs.get(env);
  if (cached) return cached;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    // An empty string means "not set", as it does in .env files.
    raw[key] = value === "" ? undefined : value;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  parsedConfigs.set(env, result.data);
  return result.data;
}

/** Throws a ConfigError naming the variable when a required one is missing. */
export function requireSetting<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigError([`${String(key)}: required but not set`]);
  return value as NonNullable<Config[K]>;
}

export interface Variables {
  requestId: string;
  config: Config;
  /** Lazily opened per request; closed after the response in waitUntil. */
  db: () => Database;
  /** SQL over HTTP (no connection set-up): one-statement reads and writes on the hot path. */
  sql: () => SqlDatabase;
  /** Runs `work` after the response (waitUntil); failures are logged and reported, never thrown. */
  defer: (work: Promise<unknown>) => void;
  /** Keeps per-request resources (the pool) open until the returned release is called. */
  hold: () => () => void;
  sentry: Toucan | undefined;
  auth: AuthContext;
  /** Which error shape this route answers in (Anthropic's on /v1/messages). */
  errorDialect: "openai" | "anthropic-messages";
}

export interface AppEnv {
  Bindings: Env;
  Variables: Variables;
}
