import type { RouteHandler } from "@hono/zod-openapi";
import {
  countUsers,
  deleteUsers,
  findKey,
  findUser,
  findUsers,
  keysOfUser,
  trialAnalytics as loadTrialAnalytics,
  recentActivityOf,
  recentRequestsOf,
  registrationsByDay,
  type UserRecord,
  userStatistics,
  usersAtDomain,
} from "../../../db/admin-users";
import type { AppEnv } from "../../../env";
import { sha256Hex } from "../../../lib/crypto";
import { badRequest, notFound } from "../../../lib/errors";
import { parseUsd, usdNumber } from "../../../lib/money";
import { percentOf } from "../../../lib/percent";
import { clearAuthCache } from "../../../middleware/auth";
import type {
  countUsersRoute,
  deleteUsersByDomainRoute,
  getApiKeyRoute,
  getUserRoute,
  listUsersRoute,
  trialAnalyticsRoute,
  userByApiKeyRoute,
  userGrowthRoute,
  userStatsRoute,
} from "./users.routes";

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(String(value)).toISOString());
const nanos = (value: unknown) => parseUsd(String(value ?? "0"));

export function presentUser(row: UserRecord) {
  const allowance = nanos(row.subscription_allowance);
  const purchased = nanos(row.purchased_credits);
  return {
    id: Number(row.id),
    username: String(row.username),
    email: String(row.email),
    role: String(row.role),
    is_admin: row.is_admin === true,
    is_active: row.is_active === true,
    auth_method: String(row.auth_method),
    subscription_status: String(row.subscription_status),
    tier: String(row.tier),
    trial_expires_at: iso(row.trial_expires_at),
    credits: usdNumber(allowance + purchased),
    subscription_allowance: usdNumber(allowance),
    purchased_credits: usdNumber(purchased),
    created_at: iso(row.created_at) ?? "",
    updated_at: iso(row.updated_at) ?? "",
  };
}

/** Timestamps as ISO strings; everything else as stored. */
function presentRow(row: UserRecord): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([name, value]) => [name, name.endsWith("_at") ? iso(value) : value]),
  );
}

export const listUsers: RouteHandler<typeof listUsersRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const filter = {
    email: query.email,
    keyPrefix: query.api_key,
    isActive: query.is_active === undefined ? undefined : query.is_active === "true",
    role: query.role,
    subscriptionStatus: query.subscription_status,
  };
  const { rows, total } = await findUsers(c.var.db(), filter, { limit: query.limit, offset: query.offset });
  return c.json(
    {
      status: "success" as const,
      total_users: total,
      has_more: query.offset + rows.length < total,
      pagination: {
        limit: query.limit,
        offset: query.offset,
        current_page: Math.floor(query.offset / query.limit) + 1,
        total_pages: Math.ceil(total / query.limit),
      },
      filters_applied: {
        email: query.email ?? null,
        api_key: query.api_key ?? null,
        is_active: filter.isActive ?? null,
        role: query.role ?? null,
        subscription_status: query.subscription_status ?? null,
      },
      users: rows.map(presentUser),
      timestamp: new Date().toISOString(),
    },
    200,
  );
};

export const countAllUsers: RouteHandler<typeof countUsersRoute, AppEnv> = async (c) => {
  return c.json({ count: await countUsers(c.var.db()), timestamp: new Date().toISOString() }, 200);
};

export const userStats: RouteHandler<typeof userStatsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const isActive = query.is_active === undefined ? undefined : query.is_active === "true";
  const stats = await userStatistics(c.var.db(), { email: query.email, keyPrefix: query.api_key, isActive });
  return c.json(
    {
      status: "success" as const,
      total_users: stats.total,
      filters_applied: { email: query.email ?? null, api_key: query.api_key ?? null, is_active: isActive ?? null },
      statistics: {
        active_users: stats.active,
        inactive_users: stats.total - stats.active,
        admin_users: stats.admins,
        developer_users: stats.developers,
        regular_users: stats.regular,
        total_credits: usdNumber(parseUsd(stats.totalCredits)),
        average_credits: usdNumber(parseUsd(stats.averageCredits)),
        subscription_breakdown: stats.bySubscription,
      },
      timestamp: new Date().toISOString(),
    },
    200,
  );
};

export const userGrowth: RouteHandler<typeof userGrowthRoute, AppEnv> = async (c) => {
  const { days } = c.req.valid("query");
  const { baseline, daily } = await registrationsByDay(c.var.db(), days);
  let cumulative = baseline;
  const data = daily.map((day) => {
    cumulative += day.newUsers;
    return { date: day.date, value: cumulative, new_users: day.newUsers };
  });
  const first = data[0]?.value ?? 0;
  const last = data.at(-1)?.value ?? 0;
  const growthRate = data.length >= 2 ? percentOf(last - first, first) : 0;
  return c.json(
    {
      status: "success" as const,
      days,
      start_date: data[0]?.date ?? "",
      end_date: data.at(-1)?.date ?? "",
      data,
      total: last,
      growth_rate: growthRate,
      timestamp: new Date().toISOString(),
    },
    200,
  );
};

export const userByApiKey: RouteHandler<typeof userByApiKeyRoute, AppEnv> = async (c) => {
  const { api_key } = c.req.valid("query");
  const db = c.var.db();
  const key = await findKey(db, { hash: await sha256Hex(api_key) });
  const user = key ? await findUser(db, Number(key.user_id)) : undefined;
  if (!key || !user) throw notFound("No user has this API key", "api_key_not_found");
  return c.json({ status: "success" as const, user: presentUser(user), api_key: presentRow(key) }, 200);
};

export const getUser: RouteHandler<typeof getUserRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const db = c.var.db();
  const user = await findUser(db, id);
  if (!user) throw notFound(`User ${id} not found`, "user_not_found");
  const [keys, activity, requests] = await Promise.all([
    keysOfUser(db, id),
    recentActivityOf(db, id, 10),
    recentRequestsOf(db, id, 10),
  ]);
  return c.json(
    {
      status: "success" as const,
      user: presentUser(user),
      api_keys: keys.map(presentRow),
      recent_activity: activity.map(presentRow),
      recent_requests: requests.map(presentRow),
    },
    200,
  );
};

export const getApiKey: RouteHandler<typeof getApiKeyRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const db = c.var.db();
  const key = await findKey(db, { id });
  const user = key ? await findUser(db, Number(key.user_id)) : undefined;
  if (!key || !user) throw notFound(`API key ${id} not found`, "api_key_not_found");
  return c.json({ status: "success" as const, api_key: presentRow(key), user: presentUser(user) }, 200);
};

/** Never bulk-deleted: the big mail providers (seed). */
const protectedDomains = new Set([
  "gmail.com",
  "yahoo.com",
  "outlook.com",
  "hotmail.com",
  "icloud.com",
  "protonmail.com",
]);

export const deleteUsersByDomain: RouteHandler<typeof deleteUsersByDomainRoute, AppEnv> = async (c) => {
  const { domain } = c.req.valid("param");
  const dryRun = c.req.valid("query").dry_run === "true";
  if (protectedDomains.has(domain))
    throw badRequest(`Cannot delete protected domain: ${domain}`, "protected_domain", "domain");
  const db = c.var.db();
  const matching = (await usersAtDomain(db, domain)).map(presentUser);
  const users = matching.map((user) => ({
    id: user.id,
    email: user.email,
    username: user.username,
    created_at: user.created_at,
    credits: user.credits,
  }));
  const timestamp = new Date().toISOString();
  if (matching.length === 0) {
    const message = `No users found with email domain: ${domain}`;
    return c.json({ status: "success" as const, message, dry_run: dryRun, count: 0, users, timestamp }, 200);
  }
  if (dryRun) {
    const message = `DRY RUN: Would delete ${matching.length} users from domain: ${domain}`;
    return c.json(
      { status: "success" as const, message, dry_run: true, count: matching.length, users, timestamp },
      200,
    );
  }
  const admins = matching.filter((user) => user.is_admin || user.role === "admin");
  const deleted = await deleteUsers(
    db,
    matching.filter((user) => !admins.includes(user)).map((user) => user.id),
  );
  clearAuthCache();
  const failed = [
    ...admins.map((user) => ({ id: user.id, error: "admin accounts are never deleted in bulk" })),
    ...matching
      .filter((user) => !admins.includes(user) && !deleted.includes(user.id))
      .map((user) => ({ id: user.id, error: "already gone" })),
  ];
  return c.json(
    {
      status: "success" as const,
      message: `Deleted ${deleted.length} users from domain: ${domain}`,
      dry_run: false,
      count: deleted.length,
      failed,
      users,
      timestamp,
    },
    200,
  );
};

const round2 = (value: number) => Math.round(value * 100) / 100;

export const trialAnalytics: RouteHandler<typeof trialAnalyticsRoute, AppEnv> = async (c) => {
  const stats = await loadTrialAnalytics(c.var.db());
  const used = usdNumber(parseUsd(stats.creditsUsed));
  const allocated = usdNumber(parseUsd(stats.creditsAllocated));
  const perTrial = (value: number) => (stats.total > 0 ? round2(value / stats.total) : 0);
  return c.json(
    {
      success: true as const,
      analytics: {
        total_trials: stats.total,
        active_trials: stats.active,
        expired_trials: stats.expired,
        converted_trials: stats.converted,
        conversion_rate: stats.total > 0 ? round2((stats.converted / stats.total) * 100) : 0,
        usage_statistics: {
          total_tokens_used: stats.tokens,
          total_requests_used: stats.requests,
          total_credits_used: used,
          total_credits_allocated: allocated,
          credits_utilization_rate: allocated > 0 ? round2((used / allocated) * 100) : 0,
        },
        average_usage_per_trial: {
          tokens: perTrial(stats.tokens),
          requests: perTrial(stats.requests),
          credits: perTrial(used),
        },
        trial_status_breakdown: {
          active: stats.active,
          expired: stats.expired,
          converted: stats.converted,
          pending_conversion: stats.expired,
        },
      },
    },
    200,
  );
};
