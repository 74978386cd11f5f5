import { createRoute, z } from "@hono/zod-openapi";
import { subscriptionStatuses, tiers, userRoles } from "../../../db/schema";
import { adminSecurity, errorResponses, jsonContent } from "../../common.schemas";
import { AdminUserSchema } from "./users.routes";

export const UpdateAccountSchema = z
  .object({
    tier: z.enum(tiers).optional().openapi({ description: "The plan tier; it sets the default rate limits" }),
    subscription_status: z
      .enum(subscriptionStatuses)
      .optional()
      .openapi({ description: "`active` ends the trial (counted as a conversion); `inactive` suspends paid use" }),
    trial_expires_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .openapi({ description: "Extend or end a trial; null means no end" }),
    role: z.enum(userRoles).optional(),
    is_active: z.boolean().optional().openapi({ description: "false disables the account: every key answers 403" }),
  })
  .strict()
  .openapi("UpdateAccount");

export const updateAccountRoute = createRoute({
  method: "patch",
  path: "/admin/users/{user_id}",
  tags: ["Admin: users"],
  summary: "Change an account's plan: tier, subscription status, trial end, role, enabled",
  description:
    "Only the fields given change; the change (each field before and after, and which admin) is recorded in the " +
    "activity trail as `account_updated`. This isolate forgets the account's cached keys at once; other isolates " +
    "within AUTH_CACHE_TTL_SECONDS.",
  security: adminSecurity,
  request: {
    params: z.object({ user_id: z.coerce.number().int().positive() }),
    body: { required: true, content: { "application/json": { schema: UpdateAccountSchema } } },
  },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.literal("success"),
          user: AdminUserSchema,
          changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
        })
        .openapi("AccountUpdated"),
      "The account after the change, and what changed",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});
