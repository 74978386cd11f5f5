// The database goes away while paid requests are in flight, then comes back: every charge and log row
// ends up written exactly once. The outage is real: the bridge this test's requests use to reach
// Postgres is switched off (a second bridge, so test files running alongside are unaffected).
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { outboxNameFor } from "../../src/durable-objects/settlement-outbox";
import { forgetBalances } from "../../src/gateway/credit-check";
import { execute, registerAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { errorOf, origin } from "../support/gateway";

const bridge = `http://${env.TEST_SWITCHABLE_NEON_WS_PROXY}`;
// The same database under its own name, so SQL over HTTP for it is routed through the switchable bridge.
const switchableDatabaseUrl = (() => {
  const url = new URL(String(env.DATABASE_URL));
  url.searchParams.set("application_name", "gateway-outage-test");
  return url.toString();
})();
const switchDatabase = (available: boolean) =>
  fetch(`${bridge}/__control?available=${available ? 1 : 0}`, { method: "POST" });

function viaSwitchableBridge(key: string, body: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const response = createApp().fetch(
    new Request(`${origin}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "cf-connecting-ip": "192.0.2.55" },
      body: JSON.stringify(body),
    }),
    { ...env, NEON_WS_PROXY: env.TEST_SWITCHABLE_NEON_WS_PROXY, DATABASE_URL: switchableDatabaseUrl },
    ctx,
  );
  return { response: Promise.resolve(response), done: () => waitOnExecutionContext(ctx) };
}

async function balanceOf(userId: number): Promise<string> {
  const [row] = await execute(
    sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${userId}`,
  );
  return String(row?.balance);
}

describe("nothing lost when Postgres goes away mid-request", () => {
  it("keeps the in-flight charges, refuses new paid requests cleanly, and applies everything exactly once after", async () => {
    const model = "fixture:openai/chat-stream-text-no-usage?delay=30&case=outage";
    await priceModel("openai", model, { prompt: "0.000001", completion: "0.000002" });
    const account = await registerAccount();
    const start = await balanceOf(account.userId);
    await switchDatabase(true);

    // Two paid streams start while the database is up (their credit checks pass)...
    const requests = [0, 1].map(() =>
      viaSwitchableBridge(account.apiKey, {
        model: `openai/${model}`,
        stream: true,
        messages: [{ role: "user", content: "Go" }],
      }),
    );
    const responses = await Promise.all(requests.map((request) => request.response));
    const readers = responses.map((response) => response.body?.getReader());
    for (const reader of readers) await reader?.read();

    // ...then the database goes away before they end and settle.
    await switchDatabase(false);
    for (const reader of readers) while (!(await reader?.read())?.done) {}
    await Promise.all(requests.map((request) => request.done()));
    const ids = responses.map((response) => response.headers.get("x-request-id") ?? "");
    expect(
      await execute(
        sql`select request_id from chat_completion_requests where request_id = any(${`{${ids.join(",")}}`}::text[])`,
      ),
    ).toEqual([]);
    expect(await balanceOf(account.userId)).toBe(start);
    const shard = env.SETTLEMENT_OUTBOX?.getByName(outboxNameFor(account.userId));
    if (!shard) throw new Error("SETTLEMENT_OUTBOX not bound");
    expect((await shard.backlog()).pending).toBeGreaterThanOrEqual(2);

    // A new paid request whose balance this isolate has not seen cannot be checked: refused cleanly,
    // nothing half-written. (An isolate that saw a comfortable balance seconds ago would admit it
    // and settle it through the outbox like the two above.)
    forgetBalances();
    const refused = viaSwitchableBridge(account.apiKey, {
      model: `openai/${model}`,
      messages: [{ role: "user", content: "x" }],
    });
    const refusedResponse = await refused.response;
    await refused.done();
    expect(refusedResponse.status).toBe(503);
    expect((await errorOf(refusedResponse)).error.code).toBe("database_unavailable");

    // The database comes back; the outbox applies what it holds, and a second run changes nothing.
    await switchDatabase(true);
    await runDurableObjectAlarm(shard);
    const rows = await eventually(async () => {
      const found = await execute(
        sql`select request_id, cost_usd from chat_completion_requests where request_id = any(${`{${ids.join(",")}}`}::text[])`,
      );
      expect(found).toHaveLength(2);
      return found;
    });
    await runDurableObjectAlarm(shard);
    const ledger = await execute(
      sql`select idempotency_key from credit_transactions where idempotency_key = any(${`{${ids.map((id) => `usage:${id}`).join(",")}}`}::text[])`,
    );
    expect(ledger).toHaveLength(2);
    const [expected] = await execute(
      sql`select (${start}::numeric - ${String(rows[0]?.cost_usd)}::numeric - ${String(rows[1]?.cost_usd)}::numeric)::text as balance`,
    );
    expect(await balanceOf(account.userId)).toBe(expected?.balance);
    expect(rows.every((row) => row.cost_usd !== "0.000000000")).toBe(true);
  });
});
