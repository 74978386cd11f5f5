import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../common.schemas";

export const RegisterRequestSchema = z
  .object({
    username: z
      .string()
      .trim()
      .min(3)
      .max(50)
      .regex(/^[A-Za-z0-9_.-]+$/, "may contain only letters, digits, '_', '.' and '-'")
      .openapi({ example: "ada" }),
    email: z.email().max(254).openapi({ example: "ada@example.com" }),
    auth_method: z.enum(["email", "google", "github", "phone"]).default("email"),
    environment_tag: z.enum(["live", "test"]).default("live"),
    key_name: z.string().trim().min(1).max(100).default("Primary Key"),
    referral_code: z.string().trim().min(1).max(64).optional(),
  })
  .openapi("RegisterRequest");

export const RegisterResponseSchema = z
  .object({
    user_id: z.number().int(),
    username: z.string(),
    email: z.string(),
    api_key: z.string().openapi({ description: "Shown once; only its hash is stored", example: "gw_live_…" }),
    api_key_id: z.number().int(),
    credits: z.number().openapi({ description: "USD", example: 5 }),
    environment_tag: z.enum(["live", "test"]),
    auth_method: z.string(),
    subscription_status: z.enum(["trial", "bot"]),
    tier: z.literal("basic"),
    trial_expires_at: z.string(),
    message: z.string(),
    timestamp: z.string(),
  })
  .openapi("RegisterResponse");

export const registerRoute = createRoute({
  method: "post",
  path: "/auth/register",
  tags: ["Auth"],
  summary: "Create an account and its primary API key",
  description:
    "New accounts get the signup credits (default $5), a trial (default 3 days) and tier basic. " +
    "Throwaway-email domains are accepted with status `bot`; blocked domains are refused. Limited per client IP " +
    "(REGISTER_RATE_LIMIT_PER_HOUR, default 3 per hour).",
  request: { body: { required: true, content: { "application/json": { schema: RegisterRequestSchema } } } },
  responses: {
    201: { description: "Account created", content: { "application/json": { schema: RegisterResponseSchema } } },
    ...errorResponses(400, 429, 500, 503),
  },
});
