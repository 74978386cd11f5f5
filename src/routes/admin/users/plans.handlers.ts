import type { RouteHandler } from "@hono/zod-openapi";
import { type AccountChanges, updateAccount } from "../../../db/account-plans";
import { findUser } from "../../../db/admin-users";
import type { AppEnv } from "../../../env";
import { badRequest, notFound } from "../../../lib/errors";
import { forgetCachedKey } from "../../../middleware/auth";
import { adminOf } from "../../credits/credits.handlers";
import type { updateAccountRoute } from "./plans.routes";
import { presentUser } from "./users.handlers";

export const updateAccountPlan: RouteHandler<typeof updateAccountRoute, AppEnv> = async (c) => {
  const { user_id: userId } = c.req.valid("param");
  const body = c.req.valid("json");
  const changes: AccountChanges = {};
  if (body.tier !== undefined) changes.tier = body.tier;
  if (body.subscription_status !== undefined) changes.subscriptionStatus = body.subscription_status;
  if (body.trial_expires_at !== undefined) {
    changes.trialExpiresAt = body.trial_expires_at === null ? null : new Date(body.trial_expires_at);
  }
  if (body.role !== undefined) changes.role = body.role;
  if (body.is_active !== undefined) changes.isActive = body.is_active;
  if (Object.keys(changes).length === 0) throw badRequest("No fields to update", "no_changes");

  const admin = adminOf(c);
  if (admin.userId === userId && (changes.isActive === false || (changes.role && changes.role !== "admin"))) {
    throw badRequest("An admin cannot disable or demote their own account", "self_lockout");
  }
  const db = c.var.db();
  const update = await updateAccount(db, userId, changes, admin.createdBy);
  if (!update) throw notFound(`User ${userId} not found`, "user_not_found");
  forgetCachedKey(...update.keyHashes);

  const user = await findUser(db, userId);
  if (!user) throw notFound(`User ${userId} not found`, "user_not_found");
  const changed = Object.fromEntries(
    Object.keys(update.after)
      .filter((field) => JSON.stringify(update.before[field]) !== JSON.stringify(update.after[field]))
      .map((field) => [field, { from: update.before[field], to: update.after[field] }]),
  );
  return c.json({ status: "success" as const, user: presentUser(user), changes: changed }, 200);
};
