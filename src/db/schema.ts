// Every table of the gateway. Money is numeric(20,9): exact USD to the nano-dollar.
import { sql } from "drizzle-orm";
import {
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("users_email_unique").on(table.email),
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
