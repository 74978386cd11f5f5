import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../common.schemas";

export const LoginRequestSchema = z
  .object({
    token: z.string().min(20).max(16_384).openapi({
      description: "A signed identity token (JWT) from the issuer in AUTH_ISSUER, verified against AUTH_JWKS_URL",
    }),
    environment_tag: z
      .enum(["live", "test", "development"])
      .default("live")
      .openapi({ description: "The environment of a key issued now; `development` issues a test key" }),
    referral_code: z.string().trim().min(1).max(64).optional().openapi({ description: "Recorded on a new account" }),
    auto_create_api_key: z
      .boolean()
      .default(true)
      .openapi({ description: "false: a returning user gets no new key (a new account always gets its primary key)" }),
  })
  .openapi("LoginRequest");

const cents = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description}, in US cents` });

export const LoginResponseSchema = z
  .object({
    success: z.literal(true),
    message: z.enum(["Login successful", "Account created successfully"]),
    user_id: z.number().int(),
    username: z.string(),
    api_key: z
      .string()
      .nullable()
      .openapi({
        description:
          "Shown once. A new account's primary key; for a returning user a fresh sign-in key (keys are stored " +
          "hashed, so an existing key can never be shown again). Null when auto_create_api_key is false.",
      }),
    api_key_id: z.number().int().nullable(),
    api_key_kind: z.enum(["primary", "sign_in"]).nullable(),
    api_key_expires_at: z.string().nullable().openapi({ description: "Sign-in keys expire (SIGN_IN_KEY_TTL_DAYS)" }),
    auth_method: z.string(),
    privy_user_id: z.string().openapi({ description: "The identity token's subject (the seed's field name)" }),
    is_new_user: z.boolean(),
    display_name: z.string().nullable(),
    email: z.string(),
    phone_number: z.string().nullable(),
    credits: z.number().openapi({ description: "Total balance in USD" }),
    timestamp: z.string(),
    subscription_status: z.string(),
    tier: z.string(),
    tier_display_name: z.string(),
    trial_expires_at: z.string().nullable(),
    subscription_end_date: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Unix time; no subscriptions yet: null" }),
    subscription_allowance: cents("Monthly allowance"),
    purchased_credits: cents("One-time credits"),
    total_credits: cents("Allowance plus purchased credits"),
    allowance_reset_date: z.string().nullable(),
  })
  .openapi("LoginResponse");

export const loginRoute = createRoute({
  method: "post",
  path: "/auth",
  tags: ["Auth"],
  summary: "Sign in (or sign up) with an identity token",
  description:
    "Verifies a JWT from the configured identity provider (`AUTH_JWKS_URL`, `AUTH_ISSUER`, `AUTH_AUDIENCE`), finds " +
    "the account by the token's subject (or links the account registered with the token's verified email), or " +
    "creates one with the signup credits and trial. Limited per client IP (LOGIN_RATE_LIMIT_PER_15_MINUTES).",
  request: { body: { required: true, content: { "application/json": { schema: LoginRequestSchema } } } },
  responses: {
    200: jsonContent(LoginResponseSchema, "Signed in; `is_new_user` says whether the account was just created"),
    ...errorResponses(400, 401, 403, 409, 429, 500, 503),
  },
});
