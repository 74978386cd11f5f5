import type { RouteHandler } from "@hono/zod-openapi";
import { postgresErrorCode } from "../../db/client";
import { registerUser } from "../../db/users";
import type { AppEnv } from "../../env";
import { generateApiKey, sha256Hex } from "../../lib/crypto";
import { classifyEmail } from "../../lib/email-domains";
import { badRequest } from "../../lib/errors";
import { formatUsd, parseUsd, usdNumber } from "../../lib/money";
import { clientIp } from "../../middleware/auth";
import type { registerRoute } from "./auth.routes";

const duplicateMessages: Record<string, string> = {
  users_email_unique: "User with this email already exists",
  users_username_unique: "Username already taken",
};

export const register: RouteHandler<typeof registerRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const config = c.var.config;
  const email = body.email.toLowerCase();
  const verdict = classifyEmail(email, {
    disposable: config.DISPOSABLE_EMAIL_DOMAINS,
    blocked: config.BLOCKED_EMAIL_DOMAINS,
  });
  if (verdict === "blocked") throw badRequest("This email address is not allowed", "email_not_allowed", "email");

  const { key, prefix } = generateApiKey(body.environment_tag);
  const signupCredits = parseUsd(config.SIGNUP_CREDITS_USD);
  const trialExpiresAt = new Date(Date.now() + config.TRIAL_DAYS * 24 * 60 * 60 * 1000);
  const subscriptionStatus: "trial" | "bot" = verdict === "disposable" ? "bot" : "trial";

  let registered: Awaited<ReturnType<typeof registerUser>>;
  try {
    registered = await registerUser(c.var.db(), {
      username: body.username,
      email,
      subscriptionStatus,
      authMethod: body.auth_method,
      trialExpiresAt,
      signupCredits: formatUsd(signupCredits),
      keyHash: await sha256Hex(key),
      keyPrefix: prefix,
      keyName: body.key_name,
      environmentTag: body.environment_tag,
      referralCode: body.referral_code ?? null,
      clientIp: clientIp(c),
    });
  } catch (error) {
    const { code, constraint } = postgresErrorCode(error);
    const duplicate = code === "23505" && constraint ? duplicateMessages[constraint] : undefined;
    if (duplicate) {
      throw badRequest(duplicate, "duplicate_account", constraint === "users_email_unique" ? "email" : "username");
    }
    throw error;
  }

  return c.json(
    {
      user_id: registered.userId,
      username: body.username,
      email,
      api_key: key,
      api_key_id: registered.apiKeyId,
      credits: usdNumber(signupCredits),
      environment_tag: body.environment_tag,
      auth_method: body.auth_method,
      subscription_status: subscriptionStatus,
      tier: "basic" as const,
      trial_expires_at: trialExpiresAt.toISOString(),
      message: "Account created successfully",
      timestamp: registered.createdAt.toISOString(),
    },
    201,
  );
};
