import { createRoute, z } from "@hono/zod-openapi";
import { isValidIpRule } from "../../lib/ip";
import { isValidDomainRule } from "../../lib/referrer";
import { apiKeyScopes } from "../../middleware/auth";
import { errorResponses, userKeySecurity } from "../common.schemas";

const usd = (description: string) => z.number().openapi({ description: `${description} (USD)` });

export const ProfileSchema = z
  .object({
    user_id: z.number().int(),
    username: z.string(),
    email: z.string(),
    role: z.enum(["user", "developer", "admin"]),
    is_admin: z.boolean(),
    auth_method: z.string(),
    subscription_status: z.enum(["trial", "active", "bot", "inactive"]),
    tier: z.enum(["basic", "pro", "max"]),
    trial_expires_at: z.string().nullable(),
    credits: usd("Total spendable balance: allowance plus purchased credits"),
    subscription_allowance: usd("Subscription allowance, spent first"),
    purchased_credits: usd("Purchased and granted credits"),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("UserProfile");

export const BalanceSchema = z
  .object({
    user_id: z.number().int(),
    credits: usd("Total spendable balance"),
    subscription_allowance: usd("Subscription allowance"),
    purchased_credits: usd("Purchased and granted credits"),
    currency: z.literal("USD"),
  })
  .openapi("UserBalance");

export const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: "The first characters of the key, for recognising it", example: "gw_live_a1B2c3" }),
    environment_tag: z.enum(["live", "test"]),
    scopes: z.array(z.string()),
    allowed_models: z.array(z.string()),
    ip_allowlist: z.array(z.string()),
    domain_referrers: z.array(z.string()),
    expires_at: z.string().nullable(),
    max_requests: z.number().int().nullable(),
    requests_used: z.number().int(),
    is_active: z.boolean(),
    is_primary: z.boolean(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ApiKey");

export const CreateApiKeyRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "ci pipeline" }),
    environment_tag: z.enum(["live", "test"]).default("live"),
    scopes: z
      .array(z.enum(apiKeyScopes))
      .max(apiKeyScopes.length)
      .default([])
      .openapi({ description: "Empty means every scope" }),
    allowed_models: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
    ip_allowlist: z
      .array(z.string().trim().refine(isValidIpRule, "must be an IP address or CIDR range"))
      .max(100)
      .default([]),
    domain_referrers: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .refine(isValidDomainRule, "must be a domain such as example.com or *.example.com"),
      )
      .max(100)
      .default([]),
    expires_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601; must be in the future" }),
    max_requests: z.number().int().positive().max(2_000_000_000).optional(),
  })
  .openapi("CreateApiKeyRequest");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  api_key: z.string().openapi({ description: "The full key. Shown once: store it now." }),
}).openapi("CreatedApiKey");

export const ApiKeyListSchema = z
  .object({ keys: z.array(ApiKeySchema), total: z.number().int() })
  .openapi("ApiKeyList");

export const RevokedApiKeySchema = z
  .object({ id: z.number().int(), is_active: z.literal(false), revoked_at: z.string().nullable(), message: z.string() })
  .openapi("RevokedApiKey");

const accountErrors = errorResponses(401, 402, 403, 429, 500);

export const profileRoute = createRoute({
  method: "get",
  path: "/user/profile",
  tags: ["User"],
  summary: "The calling user's account",
  security: userKeySecurity,
  responses: {
    200: { description: "Profile", content: { "application/json": { schema: ProfileSchema } } },
    ...accountErrors,
  },
});

export const balanceRoute = createRoute({
  method: "get",
  path: "/user/balance",
  tags: ["User"],
  summary: "The calling user's credit balance",
  security: userKeySecurity,
  responses: {
    200: { description: "Balance", content: { "application/json": { schema: BalanceSchema } } },
    ...accountErrors,
  },
});

export const listApiKeysRoute = createRoute({
  method: "get",
  path: "/user/api-keys",
  tags: ["User"],
  summary: "The calling user's API keys (prefix only, never the key)",
  security: userKeySecurity,
  responses: {
    200: { description: "Keys, oldest first", content: { "application/json": { schema: ApiKeyListSchema } } },
    ...accountErrors,
  },
});

export const createApiKeyRoute = createRoute({
  method: "post",
  path: "/user/api-keys",
  tags: ["User"],
  summary: "Create an API key (the full key is in this response only)",
  security: userKeySecurity,
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKeyRequestSchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CreatedApiKeySchema } } },
    ...errorResponses(400, 401, 402, 403, 409, 429, 500),
  },
});

export const revokeApiKeyRoute = createRoute({
  method: "delete",
  path: "/user/api-keys/{id}",
  tags: ["User"],
  summary: "Revoke an API key",
  description:
    "Takes effect at once in the isolate that served this call and within AUTH_CACHE_TTL_SECONDS (default 30 s) everywhere. " +
    "Revoking an already revoked key succeeds again; revoking your last active key is refused (409).",
  security: userKeySecurity,
  request: {
    params: z.object({
      id: z.coerce
        .number()
        .int()
        .positive()
        .max(2_147_483_647)
        .openapi({ param: { name: "id", in: "path" }, example: 12 }),
    }),
  },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: RevokedApiKeySchema } } },
    ...errorResponses(400, 401, 402, 403, 404, 409, 429, 500),
  },
});
