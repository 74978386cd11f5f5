import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, userKeySecurity } from "../common.schemas";

export const userTransactionsRoute = createRoute({
  method: "get",
  path: "/user/credits/transactions",
  tags: ["Account"],
  summary: "Your credit ledger, newest first",
  security: userKeySecurity,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: "Transactions",
      content: {
        "application/json": {
          schema: z
            .object({
              transactions: z.array(
                z.object({
                  id: z.number().int(),
                  amount: z.number().openapi({ description: "USD; negative for charges" }),
                  type: z.string(),
                  balance_before: z.number(),
                  balance_after: z.number(),
                  description: z.string().nullable(),
                  created_at: z.string(),
                }),
              ),
              total: z.number().int(),
              limit: z.number().int(),
              offset: z.number().int(),
              has_more: z.boolean(),
            })
            .openapi("UserCreditTransactions"),
        },
      },
    },
    ...errorResponses(400, 401, 402, 403, 429, 500, 503),
  },
});

export const openRouterCreditsRoute = createRoute({
  method: "get",
  path: "/v1/credits",
  tags: ["Account"],
  summary: "Credits bought and used, as OpenRouter reports them",
  description: "`total_credits`: everything ever credited (USD); `total_usage`: everything spent on requests.",
  security: userKeySecurity,
  responses: {
    200: {
      description: "Totals",
      content: {
        "application/json": {
          schema: z
            .object({ data: z.object({ total_credits: z.number(), total_usage: z.number() }) })
            .openapi("OpenRouterCredits"),
        },
      },
    },
    ...errorResponses(401, 403, 429, 500, 503),
  },
});
