// The activity trail: rows for registration, chat completions and API keys created/revoked, read back by their
// owner only, with statistics computed in SQL.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { settleInference } from "../../src/db/inference";
import { execute, registerAccount, withDatabase } from "../support/accounts";
import { eventually } from "../support/eventually";
import { call } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";

interface ActivityLog {
  activities: { action: string; details: Record<string, unknown> }[];
  total: number;
  has_more: boolean;
}

describe("activity", () => {
  it("records key creation, key revocation and chat completions, and reads them back newest first", async () => {
    const user = await registerAccount();
    const created = await call("/user/api-keys", { method: "POST", key: user.apiKey, json: { name: "ci" } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    await eventually(async () => {
      const rows = await execute(
        sql`select 1 from activity where user_id = ${user.userId} and action = 'api_key_created'`,
      );
      expect(rows).toHaveLength(1);
    });
    expect((await call(`/user/api-keys/${id}`, { method: "DELETE", key: user.apiKey })).status).toBe(200);
    await eventually(async () => {
      const rows = await execute(
        sql`select 1 from activity where user_id = ${user.userId} and action = 'api_key_revoked'`,
      );
      expect(rows).toHaveLength(1);
    });
    await withDatabase((db) =>
      settleInference(db, inferenceRecord(user.userId, `activity-${crypto.randomUUID()}`, "0.01")),
    );

    const log = (await (await call("/user/activity/log", { key: user.apiKey })).json()) as ActivityLog;
    expect(log.total).toBe(4);
    expect(log.activities.map((row) => row.action)).toEqual([
      "chat_completion",
      "api_key_revoked",
      "api_key_created",
      "user_registered",
    ]);
    expect(log.activities[2]?.details).toMatchObject({ api_key_id: id, name: "ci" });

    const chats = (await (
      await call("/user/activity/log?action=chat_completion&limit=1", { key: user.apiKey })
    ).json()) as ActivityLog;
    expect(chats).toMatchObject({ total: 1, has_more: false });
    expect(chats.activities[0]?.details).toMatchObject({ tokens_used: 15, model: "test/model" });
    const paged = (await (
      await call("/user/activity/log?limit=2&offset=2", { key: user.apiKey })
    ).json()) as ActivityLog;
    expect(paged.activities.map((row) => row.action)).toEqual(["api_key_created", "user_registered"]);

    const stats = await call("/user/activity/stats?days=7", { key: user.apiKey });
    expect(await stats.json()).toMatchObject({
      period_days: 7,
      total_activities: 4,
      by_action: { api_key_created: 1, api_key_revoked: 1, chat_completion: 1, user_registered: 1 },
      daily: [{ date: new Date().toISOString().slice(0, 10), count: 4 }],
      tokens_used: 15,
    });

    // Another user sees only their own registration.
    const other = await registerAccount();
    const theirs = (await (await call("/user/activity/log", { key: other.apiKey })).json()) as ActivityLog;
    expect(theirs.activities.map((row) => row.action)).toEqual(["user_registered"]);
    expect((await call("/user/activity/stats?days=0", { key: user.apiKey })).status).toBe(400);
  });
});
