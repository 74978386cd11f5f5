import type { RouteHandler } from "@hono/zod-openapi";
import { recordActivity } from "../../db/activity";
import { createKeyForUser, listKeysOfUser, revokeKeyOfUser } from "../../db/api-keys";
import type { ApiKeyRow } from "../../db/schema";
import { findUserById } from "../../db/users";
import type { AppEnv } from "../../env";
import { generateApiKey, sha256Hex } from "../../lib/crypto";
import { badRequest, conflict, notFound, unauthorized } from "../../lib/errors";
import { parseUsd, usdNumber } from "../../lib/money";
import { currentUser, forgetCachedKey } from "../../middleware/auth";
import type { balanceRoute, createApiKeyRoute, listApiKeysRoute, profileRoute, revokeApiKeyRoute } from "./user.routes";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function presentKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    environment_tag: row.environmentTag,
    scopes: row.scopes,
    allowed_models: row.allowedModels,
    ip_allowlist: row.ipAllowlist,
    domain_referrers: row.domainReferrers,
    expires_at: iso(row.expiresAt),
    max_requests: row.maxRequests,
    requests_used: row.requestsUsed,
    is_active: row.isActive,
    is_primary: row.isPrimary,
    last_used_at: iso(row.lastUsedAt),
    revoked_at: iso(row.revokedAt),
    created_at: row.createdAt.toISOString(),
  };
}

async function loadUser(c: Parameters<RouteHandler<typeof profileRoute, AppEnv>>[0]) {
  const { user } = currentUser(c);
  const row = await findUserById(c.var.db(), user.id);
  // The key's cache entry outlived its user (deleted meanwhile).
  if (!row) throw unauthorized("User not found", "user_not_found");
  const allowance = parseUsd(row.subscriptionAllowance);
  const purchased = parseUsd(row.purchasedCredits);
  return { row, allowance, purchased, total: allowance + purchased };
}

export const profile: RouteHandler<typeof profileRoute, AppEnv> = async (c) => {
  const { row, allowance, purchased, total } = await loadUser(c);
  return c.json(
    {
      user_id: row.id,
      username: row.username,
      email: row.email,
      role: row.role,
      is_admin: row.isAdmin || row.role === "admin",
      auth_method: row.authMethod,
      subscription_status: row.subscriptionStatus,
      tier: row.tier,
      trial_expires_at: iso(row.trialExpiresAt),
      credits: usdNumber(total),
      subscription_allowance: usdNumber(allowance),
      purchased_credits: usdNumber(purchased),
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    },
    200,
  );
};

export const balance: RouteHandler<typeof balanceRoute, AppEnv> = async (c) => {
  const { row, allowance, purchased, total } = await loadUser(c);
  return c.json(
    {
      user_id: row.id,
      credits: usdNumber(total),
      subscription_allowance: usdNumber(allowance),
      purchased_credits: usdNumber(purchased),
      currency: "USD" as const,
    },
    200,
  );
};

export const listApiKeys: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const { user } = currentUser(c);
  const rows = await listKeysOfUser(c.var.db(), user.id);
  return c.json({ keys: rows.map(presentKey), total: rows.length }, 200);
};

export const createApiKey: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
  const { user } = currentUser(c);
  const body = c.req.valid("json");
  const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw badRequest("expires_at must be in the future", "invalid_request", "expires_at");
  }
  const { key, prefix } = generateApiKey(body.environment_tag);
  const maxKeys = c.var.config.MAX_API_KEYS_PER_USER;
  const row = await createKeyForUser(
    c.var.db(),
    {
      userId: user.id,
      keyHash: await sha256Hex(key),
      keyPrefix: prefix,
      name: body.name,
      environmentTag: body.environment_tag,
      scopes: [...new Set(body.scopes)],
      allowedModels: [...new Set(body.allowed_models)],
      ipAllowlist: [...new Set(body.ip_allowlist)],
      domainReferrers: [...new Set(body.domain_referrers)],
      expiresAt,
      maxRequests: body.max_requests ?? null,
    },
    maxKeys,
  );
  if (!row) throw conflict(`You already have ${maxKeys} active API keys; revoke one first`, "too_many_api_keys");
  // The audit trail is written after the response; a failure is logged and reported, never lost silently.
  c.var.defer(
    recordActivity(c.var.sql(), user.id, "api_key_created", {
      api_key_id: row.id,
      key_prefix: row.keyPrefix,
      name: row.name,
    }),
  );
  return c.json({ ...presentKey(row), api_key: key }, 201);
};

export const revokeApiKey: RouteHandler<typeof revokeApiKeyRoute, AppEnv> = async (c) => {
  const { user } = currentUser(c);
  const { id } = c.req.valid("param");
  const outcome = await revokeKeyOfUser(c.var.db(), user.id, id);
  switch (outcome.kind) {
    case "not_found":
      throw notFound(`API key ${id} not found`, "api_key_not_found");
    case "last_active_key":
      throw conflict("Cannot revoke your only active API key; create another one first", "last_active_key");
    case "revoked":
    case "already_revoked":
      forgetCachedKey(outcome.keyHash);
      if (outcome.kind === "revoked")
        c.var.defer(recordActivity(c.var.sql(), user.id, "api_key_revoked", { api_key_id: id }));
      return c.json(
        {
          id,
          is_active: false as const,
          revoked_at: iso(outcome.revokedAt),
          message: outcome.kind === "revoked" ? "API key revoked" : "API key was already revoked",
        },
        200,
      );
  }
};
