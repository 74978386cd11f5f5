// Every table of the gateway. Money is numeric(20,9): exact USD to the nano-dollar.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

const money = (name: string) => numeric(name, { precision: 20, scale: 9 });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const userRoles = ["user", "developer", "admin"] as const;
export const subscriptionStatuses = ["trial", "active", "bot", "inactive"] as const;
export const tiers = ["basic", "pro", "max"] as const;
export const authMethods = ["email", "google", "github", "phone"] as const;
export const transactionTypes = [
  "trial",
  "purchase",
  "api_usage",
  "admin_credit",
  "admin_debit",
  "refund",
  "bonus",
  "transfer",
  "coupon",
  "subscription_renewal",
  "subscription_cancellation",
  "subscription_upgrade",
  "subscription_downgrade",
] as const;

const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(", ")})`);

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    username: text("username").notNull(),
    email: text("email").notNull(),
    role: text("role", { enum: userRoles }).notNull().default("user"),
    isAdmin: boolean("is_admin").notNull().default(false),
    isActive: boolean("is_active").notNull().default(true),
    authMethod: text("auth_method", { enum: authMethods }).notNull().default("email"),
    subscriptionStatus: text("subscription_status", { enum: subscriptionStatuses }).notNull().default("trial"),
    tier: text("tier", { enum: tiers }).notNull().default("basic"),
    trialExpiresAt: timestamp("trial_expires_at", { withTimezone: true }),
    subscriptionAllowance: money("subscription_allowance").notNull().default("0"),
    purchasedCredits: money("purchased_credits").notNull().default("0"),
    referredByCode: text("referred_by_code"),
    /** Account preferences, e.g. {"response_cache": true}. */
    preferences: jsonb("preferences").$type<Record<string, unknown>>().notNull().default({}),
    /** The identity provider's subject (`iss` + `sub` of the token POST /auth verified); seed: privy_user_id. */
    authSubject: text("auth_subject"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("users_email_unique").on(table.email),
    uniqueIndex("users_auth_subject_unique").on(table.authSubject),
    // "Alice" and "alice" are the same username.
    uniqueIndex("users_username_unique").on(sql`lower(${table.username})`),
    check("users_role_check", inList("role", userRoles)),
    check("users_subscription_status_check", inList("subscription_status", subscriptionStatuses)),
    check("users_tier_check", inList("tier", tiers)),
    check("users_auth_method_check", inList("auth_method", authMethods)),
    check("users_subscription_allowance_check", sql`subscription_allowance >= 0`),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    keyHash: text("key_hash").notNull(),
    keyPrefix: text("key_prefix").notNull(),
    name: text("name").notNull().default("Primary Key"),
    environmentTag: text("environment_tag", { enum: ["live", "test"] })
      .notNull()
      .default("live"),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    allowedModels: text("allowed_models").array().notNull().default(sql`'{}'::text[]`),
    ipAllowlist: text("ip_allowlist").array().notNull().default(sql`'{}'::text[]`),
    domainReferrers: text("domain_referrers").array().notNull().default(sql`'{}'::text[]`),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    maxRequests: integer("max_requests"),
    requestsUsed: integer("requests_used").notNull().default(0),
    isActive: boolean("is_active").notNull().default(true),
    isPrimary: boolean("is_primary").notNull().default(false),
    /** Why the gateway issued this key itself: "sign_in" (POST /auth, replaced at each sign-in); null = the user made it. */
    issuedFor: text("issued_for", { enum: ["sign_in"] }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("api_keys_key_hash_unique").on(table.keyHash),
    index("api_keys_user_id_idx").on(table.userId),
    check("api_keys_max_requests_check", sql`max_requests is null or max_requests > 0`),
  ],
);

export const creditTransactions = pgTable(
  "credit_transactions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Signed: positive adds credit, negative is a charge. */
    amount: money("amount").notNull(),
    type: text("type", { enum: transactionTypes }).notNull(),
    balanceBefore: money("balance_before").notNull(),
    balanceAfter: money("balance_after").notNull(),
    description: text("description"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: text("created_by"),
    /** The request id for usage charges, a caller-supplied key for grants: a retry can never apply twice. */
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("credit_transactions_idempotency_key_unique").on(table.idempotencyKey),
    index("credit_transactions_user_created_idx").on(table.userId, table.createdAt),
    check("credit_transactions_type_check", inList("type", transactionTypes)),
  ],
);

/** Seed 000 DDL: a free-form audit trail of what users did. */
export const activity = pgTable(
  "activity",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    action: varchar("action", { length: 100 }).notNull(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (table) => [index("activity_user_created_idx").on(table.userId, table.createdAt)],
);

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Per-token USD prices need more precision than balances: numeric(24,15) (femto-dollars). */
const price = (name: string) => numeric(name, { precision: 24, scale: 15 });

/** Upstream providers known to the catalog (seed 004). */
export const providers = pgTable("providers", {
  id: serial("id").primaryKey(),
  slug: text("slug").notNull().unique("providers_slug_unique"),
  name: text("name").notNull(),
  baseUrl: text("base_url"),
  apiKeyEnv: text("api_key_env"),
  isActive: boolean("is_active").notNull().default(true),
  health: text("health").notNull().default("unknown"),
  lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The model catalog: one row per (provider, upstream model id), with per-token prices (seed 004). */
export const models = pgTable(
  "models",
  {
    id: serial("id").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    /** The id the provider's API takes. */
    providerModelId: text("provider_model_id").notNull(),
    modelName: text("model_name").notNull(),
    description: text("description"),
    contextLength: integer("context_length"),
    maxCompletionTokens: integer("max_completion_tokens"),
    modality: text("modality"),
    inputModalities: text("input_modalities").array().notNull().default(sql`'{}'::text[]`),
    outputModalities: text("output_modalities").array().notNull().default(sql`'{}'::text[]`),
    supportedParameters: text("supported_parameters").array().notNull().default(sql`'{}'::text[]`),
    pricePrompt: price("price_prompt"),
    priceCompletion: price("price_completion"),
    priceCacheRead: price("price_cache_read"),
    priceCacheWrite: price("price_cache_write"),
    priceRequest: price("price_request"),
    priceImage: price("price_image"),
    supportsStreaming: boolean("supports_streaming").notNull().default(true),
    supportsTools: boolean("supports_tools").notNull().default(false),
    supportsVision: boolean("supports_vision").notNull().default(false),
    huggingFaceId: text("hugging_face_id"),
    /** Who made the model (`anthropic`, `meta-llama`): the catalog's `provider` filter. */
    developer: text("developer"),
    isActive: boolean("is_active").notNull().default(true),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("models_provider_model_unique").on(table.providerId, table.providerModelId),
    index("models_provider_model_id_idx").on(table.providerModelId),
    index("models_active_provider_idx").on(table.isActive, table.providerId),
  ],
);

export const syncRunStatuses = ["running", "succeeded", "failed"] as const;

/** One catalog sync of one provider: what was fetched, kept, written and retired, or why it failed. */
export const modelSyncRuns = pgTable(
  "model_sync_runs",
  {
    id: serial("id").primaryKey(),
    provider: text("provider").notNull(),
    trigger: text("trigger", { enum: ["cron", "admin"] }).notNull(),
    dryRun: boolean("dry_run").notNull().default(false),
    status: text("status", { enum: syncRunStatuses }).notNull().default("running"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    pagesFetched: integer("pages_fetched").notNull().default(0),
    modelsFetched: integer("models_fetched").notNull().default(0),
    modelsTransformed: integer("models_transformed").notNull().default(0),
    modelsSkipped: integer("models_skipped").notNull().default(0),
    modelsSynced: integer("models_synced").notNull().default(0),
    modelsDeactivated: integer("models_deactivated").notNull().default(0),
    error: text("error"),
  },
  (table) => [
    index("model_sync_runs_provider_started_idx").on(table.provider, table.startedAt),
    check("model_sync_runs_status_check", inList("status", syncRunStatuses)),
  ],
);

/** One row per inference request, written once when it settles (seed: chat_completion_requests). */
export const chatCompletionRequests = pgTable(
  "chat_completion_requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    requestId: text("request_id").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    apiKeyId: integer("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    /** The model as the client asked for it. */
    requestedModel: text("requested_model").notNull(),
    provider: text("provider"),
    upstreamModel: text("upstream_model"),
    modelId: integer("model_id").references(() => models.id, { onDelete: "set null" }),
    endpoint: text("endpoint").notNull().default("chat.completions"),
    stream: boolean("stream").notNull().default(false),
    status: text("status", { enum: ["completed", "failed"] }).notNull(),
    httpStatus: integer("http_status").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    usageEstimated: boolean("usage_estimated").notNull().default(false),
    /** False when the model had no catalog price and was not charged for tokens. */
    priced: boolean("priced").notNull().default(true),
    costUsd: money("cost_usd").notNull().default("0"),
    latencyMs: integer("latency_ms"),
    timeToFirstTokenMs: integer("time_to_first_token_ms"),
    finishReason: text("finish_reason"),
    errorMessage: text("error_message"),
    /** Served from the response cache: cost 0, and what the original answer cost in saved_cost_usd. */
    cacheHit: boolean("cache_hit").notNull().default(false),
    savedCostUsd: money("saved_cost_usd").notNull().default("0"),
    /** Failed attempts before the answer (failover), each {provider, model, status, reason}. */
    attempts: jsonb("attempts")
      .$type<{ provider: string; model: string; status: number; reason: string }[]>()
      .notNull()
      .default([]),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("chat_completion_requests_request_id_unique").on(table.requestId),
    index("chat_completion_requests_user_created_idx").on(table.userId, table.createdAt),
    // Trending and low-latency read recent requests across all users.
    index("chat_completion_requests_created_idx").on(table.createdAt),
    // Admin request analytics: one model's or one key's requests by time (filters, by-api-key, throughput).
    index("chat_completion_requests_model_created_idx").on(table.modelId, table.createdAt),
    index("chat_completion_requests_api_key_created_idx").on(table.apiKeyId, table.createdAt),
    check("chat_completion_requests_status_check", sql`status in ('completed', 'failed')`),
  ],
);

export type ModelRow = typeof models.$inferSelect;
export type ChatCompletionRequestRow = typeof chatCompletionRequests.$inferSelect;

/**
 * Per-key rate-limit overrides (seed: rate_limit_configs, one row per key). A null limit means the
 * default of the owner's tier; `concurrency_limit` feeds the per-key concurrency gate.
 */
export const rateLimitConfigs = pgTable(
  "rate_limit_configs",
  {
    id: serial("id").primaryKey(),
    apiKeyId: integer("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    requestsPerMinute: integer("requests_per_minute"),
    requestsPerHour: integer("requests_per_hour"),
    requestsPerDay: integer("requests_per_day"),
    tokensPerMinute: integer("tokens_per_minute"),
    tokensPerHour: integer("tokens_per_hour"),
    tokensPerDay: integer("tokens_per_day"),
    burstLimit: integer("burst_limit").notNull().default(100),
    /** Null: no per-key concurrency gate (the rate limits still apply). */
    concurrencyLimit: integer("concurrency_limit").default(50),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("rate_limit_configs_api_key_unique").on(table.apiKeyId),
    check(
      "rate_limit_configs_positive_check",
      sql`coalesce(requests_per_minute, 1) > 0 and coalesce(requests_per_hour, 1) > 0 and coalesce(requests_per_day, 1) > 0
          and coalesce(tokens_per_minute, 1) > 0 and coalesce(tokens_per_hour, 1) > 0 and coalesce(tokens_per_day, 1) > 0
          and burst_limit > 0 and coalesce(concurrency_limit, 1) > 0`,
    ),
  ],
);

export type RateLimitConfigRow = typeof rateLimitConfigs.$inferSelect;

export const couponScopes = ["user_specific", "global"] as const;
export const couponTypes = ["promotional", "referral", "compensation", "partnership"] as const;

/** Seed coupons: a code worth `value_usd` of purchased credit, for one assigned user or for anyone. */
export const coupons = pgTable(
  "coupons",
  {
    id: serial("id").primaryKey(),
    /** Stored uppercase; unique. */
    code: text("code").notNull(),
    valueUsd: money("value_usd").notNull(),
    couponScope: text("coupon_scope", { enum: couponScopes }).notNull(),
    couponType: text("coupon_type", { enum: couponTypes }).notNull().default("promotional"),
    maxUses: integer("max_uses").notNull(),
    timesUsed: integer("times_used").notNull().default(0),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull().defaultNow(),
    validUntil: timestamp("valid_until", { withTimezone: true }).notNull(),
    isActive: boolean("is_active").notNull().default(true),
    assignedToUserId: integer("assigned_to_user_id").references(() => users.id, { onDelete: "cascade" }),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    /** "admin" (an admin account), "bootstrap" (ADMIN_API_KEY) or "system". */
    createdByType: text("created_by_type").notNull().default("admin"),
    description: text("description"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("coupons_code_unique").on(table.code),
    index("coupons_assigned_to_user_idx").on(table.assignedToUserId),
    check("coupons_scope_check", inList("coupon_scope", couponScopes)),
    check("coupons_type_check", inList("coupon_type", couponTypes)),
    check("coupons_value_check", sql`value_usd > 0 and value_usd <= 1000`),
    check("coupons_uses_check", sql`max_uses > 0 and times_used >= 0 and times_used <= max_uses`),
    check(
      "coupons_assignment_check",
      sql`(coupon_scope = 'user_specific' and assigned_to_user_id is not null and max_uses = 1)
          or (coupon_scope = 'global' and assigned_to_user_id is null)`,
    ),
  ],
);

export const couponRedemptions = pgTable(
  "coupon_redemptions",
  {
    id: serial("id").primaryKey(),
    couponId: integer("coupon_id")
      .notNull()
      .references(() => coupons.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    valueApplied: money("value_applied").notNull(),
    userBalanceBefore: money("user_balance_before").notNull(),
    userBalanceAfter: money("user_balance_after").notNull(),
    /** The ledger row this redemption wrote. */
    creditTransactionId: bigint("credit_transaction_id", { mode: "number" }).references(() => creditTransactions.id, {
      onDelete: "set null",
    }),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One redemption per user per coupon, enforced by the database.
    uniqueIndex("coupon_redemptions_coupon_user_unique").on(table.couponId, table.userId),
    index("coupon_redemptions_user_idx").on(table.userId, table.redeemedAt),
  ],
);

export type CouponRow = typeof coupons.$inferSelect;

/** Account recovery tokens: only the SHA-256 of the token is stored; single use, expiring. */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: serial("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    used: boolean("used").notNull().default(false),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("password_reset_tokens_token_hash_unique").on(table.tokenHash),
    index("password_reset_tokens_user_idx").on(table.userId),
  ],
);

/** Seed 001 L10033: what an error event is about. */
export const errorCategories = [
  "PROVIDER_ERROR",
  "DATABASE_ERROR",
  "RATE_LIMIT_ERROR",
  "AUTH_ERROR",
  "TIMEOUT_ERROR",
  "VALIDATION_ERROR",
  "CACHE_ERROR",
  "EXTERNAL_SERVICE_ERROR",
  "INTERNAL_ERROR",
  "UNKNOWN",
] as const;
/** Seed 001 L9734. */
export const errorSeverities = ["critical", "high", "medium", "low", "info"] as const;

/** One gateway-side failure (a 5xx, an upstream failure, a settlement retry, a cron failure). */
export const errorEvents = pgTable(
  "error_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Groups occurrences of the same failure: a hash of category, source, route and normalised message. */
    fingerprint: text("fingerprint").notNull(),
    category: text("category", { enum: errorCategories }).notNull(),
    severity: text("severity", { enum: errorSeverities }).notNull(),
    /** Where it happened: http, upstream, settlement, cron, probe. */
    source: text("source").notNull(),
    message: text("message").notNull(),
    route: text("route"),
    statusCode: integer("status_code"),
    requestId: text("request_id"),
    provider: text("provider"),
    model: text("model"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [
    index("error_events_fingerprint_created_idx").on(table.fingerprint, table.createdAt),
    index("error_events_created_idx").on(table.createdAt),
    check("error_events_category_check", inList("category", errorCategories)),
    check("error_events_severity_check", inList("severity", errorSeverities)),
  ],
);

/** A fix suggested by a model for an error pattern (seed: BugFixGenerator), optionally opened as a pull request. */
export const errorFixSuggestions = pgTable(
  "error_fix_suggestions",
  {
    id: serial("id").primaryKey(),
    fingerprint: text("fingerprint").notNull(),
    category: text("category", { enum: errorCategories }).notNull(),
    severity: text("severity", { enum: errorSeverities }).notNull(),
    model: text("model").notNull(),
    analysis: text("analysis").notNull().default(""),
    proposedFix: text("proposed_fix").notNull().default(""),
    codeChanges: jsonb("code_changes").$type<Record<string, string>>().notNull().default({}),
    filesAffected: text("files_affected").array().notNull().default(sql`'{}'::text[]`),
    /** pending (no PR), pr_opened, pr_failed. */
    status: text("status").notNull().default("pending"),
    prUrl: text("pr_url"),
    /** The gateway request(s) that produced it: billed to the system account like any request. */
    requestIds: text("request_ids").array().notNull().default(sql`'{}'::text[]`),
    costUsd: money("cost_usd").notNull().default("0"),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("error_fix_suggestions_fingerprint_idx").on(table.fingerprint)],
);

export const incidentStatuses = ["ongoing", "resolved", "investigating"] as const;
export const incidentSeverities = ["low", "medium", "high", "critical"] as const;

/** Seed 001 L2926-3827: an outage of a dependency or provider, from detection to recovery. */
export const downtimeIncidents = pgTable(
  "downtime_incidents",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    /** What is down: postgres, redis, or provider:<slug>. */
    component: text("component").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    detectedAt: timestamp("detected_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    durationSeconds: integer("duration_seconds"),
    healthEndpoint: text("health_endpoint"),
    errorMessage: text("error_message"),
    httpStatusCode: integer("http_status_code"),
    responseBody: text("response_body"),
    status: text("status", { enum: incidentStatuses }).notNull().default("ongoing"),
    severity: text("severity", { enum: incidentSeverities }).notNull(),
    environment: text("environment").notNull(),
    logsCaptured: jsonb("logs_captured").$type<Record<string, unknown>[]>().notNull().default([]),
    logCount: integer("log_count").notNull().default(0),
    logsFilePath: text("logs_file_path"),
    resolvedBy: text("resolved_by"),
    notes: text("notes"),
    serverInfo: jsonb("server_info").$type<Record<string, unknown>>().notNull().default({}),
    metricsSnapshot: jsonb("metrics_snapshot").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // At most one open incident per component.
    uniqueIndex("downtime_incidents_one_open_idx").on(table.component).where(sql`status <> 'resolved'`),
    index("downtime_incidents_started_idx").on(table.startedAt),
    check("downtime_incidents_status_check", inList("status", incidentStatuses)),
    check("downtime_incidents_severity_check", inList("severity", incidentSeverities)),
  ],
);

/** The health watcher's memory between cron runs: consecutive outcomes per component. */
export const healthProbeStates = pgTable("health_probe_states", {
  component: text("component").primaryKey(),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  consecutiveSuccesses: integer("consecutive_successes").notNull().default(0),
  lastOk: boolean("last_ok"),
  lastError: text("last_error"),
  lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
  /** When the current run of failures began (the incident's started_at). */
  failingSince: timestamp("failing_since", { withTimezone: true }),
});

/** Operator switches that must hold across isolates (e.g. the error monitor's scheduled scan on/off). */
export const operationSettings = pgTable("operation_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: updatedAt(),
});

/** Seed 001 L5329-5337: a user's saved conversation. Deleting is soft (is_active = false). */
export const chatSessions = pgTable(
  "chat_sessions",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    model: text("model"),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("chat_sessions_user_active_updated_idx").on(table.userId, table.isActive, table.updatedAt)],
);

export const chatMessageRoles = ["user", "assistant", "system", "tool"] as const;

/** Seed 001 L5494-5502. */
export const chatMessages = pgTable(
  "chat_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => chatSessions.id, { onDelete: "cascade" }),
    role: text("role", { enum: chatMessageRoles }).notNull(),
    content: text("content").notNull(),
    model: text("model"),
    tokens: integer("tokens").notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [
    index("chat_messages_session_created_idx").on(table.sessionId, table.createdAt),
    check("chat_messages_role_check", inList("role", chatMessageRoles)),
    check("chat_messages_tokens_check", sql`tokens >= 0`),
  ],
);

export const feedbackTypes = ["thumbs_up", "thumbs_down", "regenerate"] as const;

/** Seed 001 L5696-5731: a user's rating of an answer. */
export const messageFeedback = pgTable(
  "message_feedback",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sessionId: integer("session_id").references(() => chatSessions.id, { onDelete: "set null" }),
    messageId: bigint("message_id", { mode: "number" }).references(() => chatMessages.id, { onDelete: "set null" }),
    feedbackType: text("feedback_type", { enum: feedbackTypes }).notNull(),
    rating: integer("rating"),
    comment: text("comment"),
    model: text("model"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("message_feedback_user_created_idx").on(table.userId, table.createdAt),
    check("message_feedback_type_check", inList("feedback_type", feedbackTypes)),
    check("message_feedback_rating_check", sql`rating is null or rating between 1 and 5`),
  ],
);

/** Product analytics events (seed: Statsig/PostHog ingestion): stored first, then forwarded to sinks. */
export const analyticsEvents = pgTable(
  "analytics_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The client's analytics session (not a chat session). */
    sessionId: text("session_id"),
    eventName: text("event_name").notNull(),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    /** When the client says the event happened. */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    /** Per sink: when it accepted the event, e.g. {"posthog": "2026-…"}. */
    forwarded: jsonb("forwarded").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [
    index("analytics_events_user_created_idx").on(table.userId, table.createdAt),
    index("analytics_events_name_created_idx").on(table.eventName, table.createdAt),
  ],
);

/** The tier tables of the model routers (`router:code…` uses `code`, `router:general` uses `general`). */
export const routerTierTables = ["code", "general"] as const;

/**
 * Model routers (`router:*` model ids, seed 001 L7326-7756): per tier table, tiers 1 (premium) … 4
 * (budget), each an ordered list of candidate models. The classifier picks the tier; the first
 * candidate that is routable and allowed for the key answers, the others are its fallbacks.
 */
export const routerTiers = pgTable(
  "router_tiers",
  {
    id: serial("id").primaryKey(),
    router: text("router", { enum: routerTierTables }).notNull(),
    tier: integer("tier").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    /** Model ids as a client would send them (`openai/gpt-4o-mini`), in order of preference. */
    models: text("models").array().notNull(),
    isActive: boolean("is_active").notNull().default(true),
    /** Who last edited the tier: `admin:<user id>` or `admin:bootstrap`; null for the seeded defaults. */
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("router_tiers_router_tier_unique").on(table.router, table.tier),
    check("router_tiers_router_check", inList("router", routerTierTables)),
    check("router_tiers_tier_check", sql`tier between 1 and 4`),
    check("router_tiers_models_check", sql`cardinality(models) between 1 and 10`),
  ],
);

/**
 * One row per routed request: how the prompt was classified and which candidates the router offered.
 * The model that answered, the status and the cost are on chat_completion_requests (same request_id).
 */
export const routerDecisions = pgTable(
  "router_decisions",
  {
    requestId: text("request_id").primaryKey(),
    /** The model id as requested, e.g. `router:code:price`. */
    routerModel: text("router_model").notNull(),
    /** The tier table used (`router:auto` uses `code` for code tasks, `general` otherwise). */
    router: text("router").notNull(),
    mode: text("mode").notNull(),
    category: text("category").notNull(),
    complexity: text("complexity").notNull(),
    confidence: numeric("confidence", { precision: 3, scale: 2 }).notNull(),
    tier: integer("tier").notNull(),
    /** The routable candidates offered to the dispatcher, best first. */
    candidates: text("candidates").array().notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("router_decisions_created_idx").on(table.createdAt)],
);

export const storedResponseStatuses = ["completed", "incomplete"] as const;

/**
 * Answers of the Responses API (`POST /v1/responses`), kept unless the request said `store: false`:
 * `previous_response_id` continues from one, `GET /v1/responses/{id}` reads one back (owner only).
 * `input_items` is the whole conversation's input as Responses items (the previous responses' input
 * and output, then this request's input); `settings` holds the rest of the response object
 * (instructions, tools, tool_choice, text, metadata, …) so it can be returned as it was.
 */
export const storedResponses = pgTable(
  "stored_responses",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The request that produced it (chat_completion_requests.request_id: its tokens and cost). */
    requestId: text("request_id").notNull(),
    model: text("model").notNull(),
    status: text("status", { enum: storedResponseStatuses }).notNull(),
    previousResponseId: text("previous_response_id"),
    inputItems: jsonb("input_items").$type<Record<string, unknown>[]>().notNull(),
    outputItems: jsonb("output_items").$type<Record<string, unknown>[]>().notNull(),
    usage: jsonb("usage").$type<Record<string, unknown>>(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [
    index("stored_responses_user_created_idx").on(table.userId, table.createdAt),
    check("stored_responses_status_check", inList("status", storedResponseStatuses)),
  ],
);
