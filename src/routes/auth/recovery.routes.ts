import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../common.schemas";

export const RecoveryRequestSchema = z
  .object({ email: z.email().max(254).optional() })
  .openapi("AccountRecoveryRequest");

export const RecoveryRequestedSchema = z
  .object({
    message: z.literal("If an account with that email exists, a password reset link has been sent."),
  })
  .openapi("AccountRecoveryRequested");

export const requestRecoveryRoute = createRoute({
  method: "post",
  path: "/auth/password-reset",
  tags: ["Auth"],
  summary: "Email an account-recovery link",
  description:
    "Takes `email` as a query parameter (as the seed does) or in a JSON body. The answer is the same whether or not " +
    "an account has that email, and the lookup and sending happen after the response, so neither status nor timing " +
    "reveals it. The link holds a single-use token valid for PASSWORD_RESET_TOKEN_TTL_MINUTES (60); a newer request " +
    "supersedes it. Shares a per-IP budget with /auth/reset-password (PASSWORD_RESET_RATE_LIMIT_PER_HOUR).",
  request: {
    query: z.object({ email: z.email().max(254).optional() }),
    body: { required: false, content: { "application/json": { schema: RecoveryRequestSchema } } },
  },
  responses: {
    200: jsonContent(RecoveryRequestedSchema, "Accepted (the same answer for any email)"),
    ...errorResponses(400, 429, 500),
  },
});

export const RecoveryTokenSchema = z
  .object({ token: z.string().min(20).max(200).optional() })
  .openapi("AccountRecoveryToken");

export const RecoveredSchema = z
  .object({
    message: z.literal("Password reset successfully"),
    user_id: z.number().int(),
    api_key: z.string().openapi({ description: "The new primary API key, shown once; the old one no longer works" }),
    api_key_id: z.number().int(),
  })
  .openapi("AccountRecovered");

export const redeemRecoveryRoute = createRoute({
  method: "post",
  path: "/auth/reset-password",
  tags: ["Auth"],
  summary: "Redeem an account-recovery token: rotate the primary API key",
  description:
    "Takes `token` as a query parameter (as the seed does) or in a JSON body. The token is consumed, the active primary " +
    "key revoked and a new primary key returned, in one statement; a used or unknown token is 400 " +
    '"Invalid or expired reset token", an expired one 400 "Reset token has expired".',
  request: {
    query: z.object({ token: z.string().min(20).max(200).optional() }),
    body: { required: false, content: { "application/json": { schema: RecoveryTokenSchema } } },
  },
  responses: {
    200: jsonContent(RecoveredSchema, "The new primary key"),
    ...errorResponses(400, 429, 500, 503),
  },
});
