import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses } from "../common.schemas";

/** USD as a JSON number or a decimal string; at most 9 decimals (nano-dollars). */
const usdAmount = z
  .union([z.number().finite(), z.string().regex(/^-?\d{1,12}(\.\d{1,9})?$/, "must be a decimal USD amount")])
  .openapi({ description: "USD (a number or a decimal string, at most 9 decimals)", example: 25 });

const reason = z.string().trim().min(10, "must be at least 10 characters").max(500);
const metadata = z.record(z.string(), z.unknown()).optional();

export const GrantRequestSchema = z
  .object({
    user_id: z.number().int().positive(),
    amount: usdAmount,
    reason: reason.openapi({ example: "Compensation for the outage on 2026-11-20" }),
    description: z.string().trim().min(1).max(500).optional(),
    metadata,
  })
  .openapi("CreditGrantRequest");

export const RefundRequestSchema = z
  .object({
    user_id: z.number().int().positive(),
    amount: usdAmount,
    original_transaction_id: z.number().int().positive().optional(),
    reason: z.string().trim().min(1).max(500).default("Refund"),
    metadata,
  })
  .openapi("CreditRefundRequest");

export const BulkGrantRequestSchema = z
  .object({
    user_ids: z.array(z.number().int().positive()).min(1).max(100),
    amount: usdAmount,
    reason,
    description: z.string().trim().min(1).max(500).optional(),
    metadata,
  })
  .openapi("CreditBulkGrantRequest");

export const CreditResponseSchema = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    user_id: z.number().int(),
    previous_balance: z.number(),
    new_balance: z.number(),
    amount_changed: z.number(),
    transaction_id: z.number().int(),
    timestamp: z.string(),
  })
  .openapi("CreditResponse");

export const BulkResponseSchema = z
  .object({
    status: z.enum(["success", "partial", "failed"]),
    message: z.string(),
    total_users: z.number().int(),
    successful: z.number().int(),
    failed: z.number().int(),
    amount_per_user: z.number(),
    total_credits_added: z.number(),
    results: z.array(
      z.object({
        user_id: z.number().int(),
        success: z.boolean(),
        previous_balance: z.number().optional(),
        new_balance: z.number().optional(),
        transaction_id: z.number().int().optional(),
        error: z.string().optional(),
      }),
    ),
    timestamp: z.string(),
  })
  .openapi("CreditBulkResponse");

const moneyRoute = <S extends z.ZodType>(path: string, summary: string, description: string, schema: S) =>
  createRoute({
    method: "post",
    path,
    tags: ["Admin: credits"],
    summary,
    description,
    security: adminSecurity,
    request: { body: { required: true, content: { "application/json": { schema } } } },
    responses: {
      200: { description: "Applied", content: { "application/json": { schema: CreditResponseSchema } } },
      ...errorResponses(400, 401, 403, 404, 429, 500, 503),
    },
  });

const caps =
  "Capped per grant by ADMIN_MAX_CREDIT_GRANT and per admin over any 24 hours by ADMIN_DAILY_GRANT_LIMIT (concurrent grants included).";

export const addCreditsRoute = moneyRoute(
  "/credits/add",
  "Grant credits to a user",
  `Adds to the user's purchased credits with an \`admin_credit\` ledger row, in one transaction. ${caps}`,
  GrantRequestSchema,
);

export const adjustCreditsRoute = moneyRoute(
  "/credits/adjust",
  "Adjust a user's balance up or down",
  `A positive amount is a grant (capped as /credits/add); a negative one an \`admin_debit\`, refused when it would leave the balance below zero. ${caps}`,
  GrantRequestSchema,
);

export const refundCreditsRoute = moneyRoute(
  "/credits/refund",
  "Refund credits to a user (not capped)",
  "Adds the amount with a `refund` ledger row naming the original transaction when given.",
  RefundRequestSchema,
);

export const bulkAddCreditsRoute = createRoute({
  method: "post",
  path: "/credits/bulk-add",
  tags: ["Admin: credits"],
  summary: "Grant the same amount to up to 100 users",
  description: `Each user is granted in its own transaction; the results say which succeeded. The daily cap is checked for the whole batch first (amount × users). ${caps}`,
  security: adminSecurity,
  request: { body: { required: true, content: { "application/json": { schema: BulkGrantRequestSchema } } } },
  responses: {
    200: { description: "Per-user results", content: { "application/json": { schema: BulkResponseSchema } } },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});
