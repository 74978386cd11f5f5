import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { issueRecoveryToken, recoveryTokenState, redeemRecoveryToken } from "../../db/account-recovery";
import type { AppEnv } from "../../env";
import { generateApiKey, sha256Hex } from "../../lib/crypto";
import { accountRecoveryEmail, type EmailSender, emailSenderFor } from "../../lib/email-sender";
import { badRequest } from "../../lib/errors";
import { clientIp, forgetCachedKey } from "../../middleware/auth";
import type { redeemRecoveryRoute, requestRecoveryRoute } from "./recovery.routes";

const requestedMessage = "If an account with that email exists, a password reset link has been sent." as const;

/** 32 random bytes, base64url: what the link carries; only its SHA-256 is stored. */
function newRecoveryToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function recoveryLink(base: string, token: string): string {
  const url = new URL(base);
  url.searchParams.set("token", token);
  return url.toString();
}

async function sendRecoveryEmail(c: Context<AppEnv>, email: string, sender: EmailSender): Promise<void> {
  const config = c.var.config;
  const token = newRecoveryToken();
  const expiresAt = new Date(Date.now() + config.PASSWORD_RESET_TOKEN_TTL_MINUTES * 60_000);
  const recipient = await issueRecoveryToken(c.var.db(), email, await sha256Hex(token), expiresAt, {
    ip: clientIp(c),
  });
  if (!recipient) return;
  await sender.send(
    accountRecoveryEmail(
      recipient.email,
      recoveryLink(config.PASSWORD_RESET_URL, token),
      config.PASSWORD_RESET_TOKEN_TTL_MINUTES,
    ),
  );
}

export const requestRecovery: RouteHandler<typeof requestRecoveryRoute, AppEnv> = async (c) => {
  const email = c.req.valid("query").email ?? c.req.valid("json")?.email;
  if (!email) throw badRequest("email is required (query parameter or JSON body)", "invalid_request", "email");
  // Everything that depends on whether the account exists happens after the response: the status,
  // body and timing are the same for any address. A failed send is logged and reported there.
  c.var.defer(sendRecoveryEmail(c, email.toLowerCase(), emailSenderFor(c.var.config)));
  return c.json({ message: requestedMessage }, 200);
};

export const redeemRecovery: RouteHandler<typeof redeemRecoveryRoute, AppEnv> = async (c) => {
  const token = c.req.valid("query").token ?? c.req.valid("json")?.token;
  if (!token) throw badRequest("token is required (query parameter or JSON body)", "invalid_request", "token");
  const tokenHash = await sha256Hex(token);
  const db = c.var.db();
  const state = await recoveryTokenState(db, tokenHash);
  if (state.kind === "expired") throw badRequest("Reset token has expired", "reset_token_expired", "token");
  if (state.kind === "invalid") throw badRequest("Invalid or expired reset token", "invalid_reset_token", "token");

  const { key, prefix } = generateApiKey(state.environmentTag);
  const recovered = await redeemRecoveryToken(db, {
    tokenHash,
    keyHash: await sha256Hex(key),
    keyPrefix: prefix,
    environmentTag: state.environmentTag,
    ip: clientIp(c),
  });
  // Consumed by a concurrent redemption, or expired, between the check and the statement.
  if (!recovered) throw badRequest("Invalid or expired reset token", "invalid_reset_token", "token");
  forgetCachedKey(...recovered.retiredKeyHashes);
  return c.json(
    {
      message: "Password reset successfully" as const,
      user_id: recovered.userId,
      api_key: key,
      api_key_id: recovered.apiKeyId,
    },
    200,
  );
};
