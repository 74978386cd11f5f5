import { createRoute, z } from "@hono/zod-openapi";
import { transactionTypes } from "../../db/schema";
import { adminSecurity, errorResponses, jsonContent } from "../common.schemas";

const decimal = z.string().regex(/^\d{1,12}(\.\d{1,9})?$/, "must be a decimal USD amount");

const filterQuery = {
  user_id: z.coerce.number().int().positive().optional(),
  transaction_type: z.enum(transactionTypes).optional(),
  from_date: z.coerce.date().optional().openapi({ description: "ISO date or date-time" }),
  to_date: z.coerce.date().optional(),
};

export const TransactionQuerySchema = z.object({
  ...filterQuery,
  direction: z
    .enum(["credit", "charge"], { message: "direction must be 'credit' or 'charge'" })
    .optional()
    .openapi({ description: "credit: amount > 0; charge: amount < 0" }),
  min_amount: decimal.optional().openapi({ description: "Smallest absolute amount" }),
  max_amount: decimal.optional().openapi({ description: "Largest absolute amount" }),
  sort_by: z
    .enum(["created_at", "amount", "transaction_type"], {
      message: "sort_by must be 'created_at', 'amount', or 'transaction_type'",
    })
    .default("created_at"),
  sort_order: z.enum(["asc", "desc"], { message: "sort_order must be 'asc' or 'desc'" }).default("desc"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const TransactionSchema = z.object({
  id: z.number().int(),
  user_id: z.number().int(),
  amount: z.number(),
  transaction_type: z.string(),
  balance_before: z.number(),
  balance_after: z.number(),
  description: z.string().nullable(),
  metadata: z.unknown(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});

export const SummarySchema = z
  .object({
    total_transactions: z.number().int(),
    total_credits_added: z.number(),
    total_credits_used: z.number(),
    net_change: z.number(),
    by_type: z.record(
      z.string(),
      z.object({ count: z.number().int(), total_amount: z.number(), average_amount: z.number() }),
    ),
    largest_credit: z.number().nullable(),
    largest_charge: z.number().nullable(),
    transaction_count_by_direction: z.object({ credits: z.number().int(), charges: z.number().int() }),
  })
  .openapi("CreditTransactionSummary");

const TransactionListSchema = z
  .object({
    transactions: z.array(TransactionSchema),
    total: z.number().int().openapi({ description: "Every match, not just this page" }),
    limit: z.number().int(),
    offset: z.number().int(),
    has_more: z.boolean(),
    summary: SummarySchema.optional(),
  })
  .openapi("CreditTransactionList");

export const creditTransactionsRoute = createRoute({
  method: "get",
  path: "/credits/transactions",
  tags: ["Admin: credits"],
  summary: "Ledger rows of every user, filtered, sorted and paginated (exact total)",
  security: adminSecurity,
  request: { query: TransactionQuerySchema },
  responses: { 200: jsonContent(TransactionListSchema, "Transactions"), ...errorResponses(400, 401, 403, 500, 503) },
});

export const adminCreditTransactionsRoute = createRoute({
  method: "get",
  path: "/admin/credit-transactions",
  tags: ["Admin: credits"],
  summary: "The same search, with a summary of one user's ledger (include_summary with user_id)",
  security: adminSecurity,
  request: {
    query: TransactionQuerySchema.extend({ include_summary: z.enum(["true", "false"]).default("false") }),
  },
  responses: { 200: jsonContent(TransactionListSchema, "Transactions"), ...errorResponses(400, 401, 403, 500, 503) },
});

export const creditSummaryRoute = createRoute({
  method: "get",
  path: "/credits/summary",
  tags: ["Admin: credits"],
  summary: "One user's ledger summary (user_id), or the whole system's",
  security: adminSecurity,
  request: { query: z.object(filterQuery) },
  responses: {
    200: jsonContent(
      z
        .object({
          scope: z.enum(["user", "system"]),
          user_id: z.number().int().nullable(),
          summary: SummarySchema,
          system: z
            .object({
              total_users: z.number().int(),
              total_credits_in_system: z.number(),
              average_credits_per_user: z.number(),
            })
            .nullable(),
          timestamp: z.string(),
        })
        .openapi("CreditSummary"),
      "Summary",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const adminBalancesRoute = createRoute({
  method: "get",
  path: "/admin/balance",
  tags: ["Admin: credits"],
  summary: "Every user's balance, page by page (the seed's version returned all at once)",
  security: adminSecurity,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("success"),
          total_users: z.number().int(),
          users: z.array(
            z.object({
              user_id: z.number().int(),
              username: z.string(),
              email: z.string(),
              credits: z.number(),
              subscription_allowance: z.number(),
              purchased_credits: z.number(),
              created_at: z.string(),
              updated_at: z.string(),
            }),
          ),
          limit: z.number().int(),
          offset: z.number().int(),
          has_more: z.boolean(),
        })
        .openapi("AdminBalances"),
      "Balances",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const legacyAddCreditsRoute = createRoute({
  method: "post",
  path: "/admin/add_credits",
  tags: ["Admin: credits"],
  summary: "Grant credits to the owner of an API key (legacy; capped like /credits/add)",
  security: adminSecurity,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              api_key: z.string().trim().min(1).max(200),
              credits: z.number().finite(),
              reason: z.string().trim().min(10, "must be at least 10 characters").max(500),
            })
            .openapi("LegacyAddCreditsRequest"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("success"),
          message: z.string(),
          new_balance: z.number(),
          user_id: z.number().int(),
          reason: z.string(),
        })
        .openapi("LegacyAddCreditsResponse"),
      "Granted",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});
