// Error events: what each source records (5xx, failed upstream attempts, settlement trouble, cron
// failures), their category and severity, the fingerprint rule, and that no secret is stored.
import {
  createExecutionContext,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { cronJobs, runScheduledJobs } from "../../src/cron/index";
import { SettlementOutbox } from "../../src/durable-objects/settlement-outbox";
import { settleDurably } from "../../src/gateway/outbox";
import { requireApiKey } from "../../src/middleware/auth";
import { fingerprintOf, normalizeMessage, scrubSecrets } from "../../src/operations/error-classify";
import { reportCronFailure } from "../../src/operations/error-events";
import { execute, registerAccount, type TestAccount, withDatabase } from "../support/accounts";
import { eventually } from "../support/eventually";
import { call, origin } from "../support/gateway";
import { inferenceRecord } from "../support/inference-records";
import { readSse } from "../support/sse";

type EventRow = Record<string, unknown> & { details: Record<string, unknown> };

async function eventsWhere(condition: ReturnType<typeof sql>): Promise<EventRow[]> {
  return (await execute(sql`select * from error_events where ${condition} order by id`)) as EventRow[];
}

/** Waits for the request's deferred recording, then returns its events. */
function eventsOfRequest(requestId: string, atLeast: number): Promise<EventRow[]> {
  return eventually(async () => {
    const rows = await eventsWhere(sql`request_id = ${requestId}`);
    expect(rows.length).toBeGreaterThanOrEqual(atLeast);
    return rows;
  });
}

/** Letters only: survives message normalisation, so a test's fingerprint is its own. */
function uniqueWord(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => String.fromCharCode(97 + (byte % 26))).join(
    "",
  );
}

async function chat(account: TestAccount, model: string, requestId: string, extra: Record<string, unknown> = {}) {
  return call("/v1/chat/completions", {
    method: "POST",
    key: account.apiKey,
    headers: { "x-request-id": requestId },
    json: { model, messages: [{ role: "user", content: `secret prompt ${requestId}` }], ...extra },
  });
}

describe("error events from the inference pipeline", () => {
  let account: TestAccount;
  beforeAll(async () => {
    account = await registerAccount();
  });

  it("records each failed attempt of a 5xx upstream (PROVIDER_ERROR) and the 502 the client got (http)", async () => {
    const requestId = `ee-500-${crypto.randomUUID()}`;
    const response = await chat(
      account,
      "cerebras/fixture:openai-compatible/mistral/error-500-service-unavailable",
      requestId,
    );
    expect(response.status).toBe(502);
    const rows = await eventsOfRequest(requestId, 3);
    const upstream = rows.filter((row) => row.source === "upstream");
    // One retry of the same provider: two attempts, one pattern.
    expect(upstream).toHaveLength(2);
    expect(upstream[0]).toMatchObject({
      category: "PROVIDER_ERROR",
      severity: "medium",
      provider: "cerebras",
      status_code: 500,
    });
    expect(upstream[0]?.fingerprint).toBe(upstream[1]?.fingerprint);
    const http = rows.filter((row) => row.source === "http");
    expect(http).toHaveLength(1);
    expect(http[0]).toMatchObject({ route: "/v1/chat/completions", status_code: 502, severity: "medium" });
    expect(JSON.stringify(rows)).not.toContain(`secret prompt ${requestId}`);
    expect(JSON.stringify(rows)).not.toContain(account.apiKey);
  });

  it("classifies refused vendor credentials as AUTH_ERROR/high without storing the vendor key", async () => {
    const requestId = `ee-401-${crypto.randomUUID()}`;
    const response = await chat(account, "deepseek/fixture:openai/error-401-invalid-api-key", requestId);
    expect(response.status).toBe(502);
    const [upstream] = (await eventsOfRequest(requestId, 2)).filter((row) => row.source === "upstream");
    expect(upstream).toMatchObject({
      category: "AUTH_ERROR",
      severity: "high",
      status_code: 401,
      provider: "deepseek",
    });
    expect(String(upstream?.message)).toContain("Incorrect API key provided");
    const all = JSON.stringify(await eventsWhere(sql`request_id = ${requestId}`));
    expect(all).not.toContain(String(env.DEEPSEEK_API_KEY));
  });

  it("records a 429 as RATE_LIMIT_ERROR and a failure mid-stream as an upstream event", async () => {
    const limited = `ee-429-${crypto.randomUUID()}`;
    expect((await chat(account, "cerebras/fixture:openai/error-429-request-too-large-tpm", limited)).status).toBe(429);
    const [rate] = await eventsOfRequest(limited, 1);
    expect(rate).toMatchObject({ source: "upstream", category: "RATE_LIMIT_ERROR", severity: "medium" });

    const streamed = `ee-stream-${crypto.randomUUID()}`;
    const response = await chat(
      account,
      "cerebras/fixture:openai-compatible/groq/stream-midstream-error-tool-use-failed",
      streamed,
      {
        stream: true,
      },
    );
    expect(response.status).toBe(200);
    await readSse(response);
    const [midStream] = await eventsOfRequest(streamed, 1);
    expect(midStream).toMatchObject({ source: "upstream", provider: "cerebras", status_code: 502 });
    expect(midStream?.details).toMatchObject({ mid_stream: true });
  });

  it("records an upstream that did not answer in time as TIMEOUT_ERROR/high", async () => {
    const requestId = `ee-timeout-${crypto.randomUUID()}`;
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request(`${origin}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${account.apiKey}`,
          "content-type": "application/json",
          "x-request-id": requestId,
        },
        body: JSON.stringify({
          model: "anthropic/fixture:openai/chat-completion-text?headers_after=1500&case=errev",
          messages: [{ role: "user", content: "hi" }],
        }),
      }),
      { ...env, UPSTREAM_TIMEOUT_MS: "300" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(504);
    const rows = await eventsOfRequest(requestId, 2);
    expect(rows.find((row) => row.source === "upstream")).toMatchObject({
      category: "TIMEOUT_ERROR",
      severity: "high",
    });
    expect(rows.find((row) => row.source === "http")).toMatchObject({ status_code: 504, category: "TIMEOUT_ERROR" });
  });

  it("records nothing for a client's own mistake (4xx from the provider)", async () => {
    const requestId = `ee-400-${crypto.randomUUID()}`;
    const response = await chat(account, "cerebras/fixture:openai/error-400-unsupported-parameter", requestId);
    expect(response.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await eventsWhere(sql`request_id = ${requestId}`)).toEqual([]);
  });
});

describe("error events from unexpected server errors", () => {
  it("records the route pattern, the error type and a scrubbed message", async () => {
    const account = await registerAccount();
    const word = uniqueWord();
    const app = createApp();
    app.post("/probe/boom/:id", requireApiKey({ scope: "account" }), () => {
      throw new TypeError(`probe ${word} exploded for ${account.apiKey} with token=abcdef123456`);
    });
    const requestId = `ee-boom-${crypto.randomUUID()}`;
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(`${origin}/probe/boom/42`, {
        method: "POST",
        headers: { authorization: `Bearer ${account.apiKey}`, "x-request-id": requestId },
        body: "prompt text that must stay private",
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(500);
    const [event] = await eventsOfRequest(requestId, 1);
    expect(event).toMatchObject({
      source: "http",
      route: "/probe/boom/:id",
      status_code: 500,
      category: "INTERNAL_ERROR",
    });
    expect(event?.details).toMatchObject({ method: "POST", error_type: "TypeError" });
    expect(String(event?.message)).toContain(word);
    const stored = JSON.stringify(event);
    expect(stored).not.toContain(account.apiKey);
    expect(stored).not.toContain("abcdef123456");
    expect(stored).not.toContain("prompt text");
  });
});

describe("error events from cron jobs and the settlement outbox", () => {
  it("records a failed cron job run by the scheduler", async () => {
    const word = uniqueWord();
    const cron = `7 7 7 7 ${word}`;
    cronJobs[cron] = [
      async () => {
        throw new Error(`cron probe ${word}: Supabase connection pool exhausted after 30 s`);
      },
    ];
    try {
      await expect(
        runScheduledJobs({ cron, scheduledTime: Date.now(), noRetry: () => undefined }, env, createExecutionContext()),
      ).rejects.toThrow(word);
    } finally {
      delete cronJobs[cron];
    }
    const [event] = await eventsWhere(sql`source = 'cron' and message like ${`%${word}%`}`);
    expect(event).toMatchObject({ category: "DATABASE_ERROR", severity: "critical", route: `cron ${cron}` });
  });

  it("records a settlement the database rejected, and one the outbox parked", async () => {
    const account = await registerAccount();
    const rejected = inferenceRecord(account.userId + 900_000_000, `ee-rejected-${crypto.randomUUID()}`, "0.000001000");
    await expect(withDatabase((db) => settleDurably({ env, db: () => db }, rejected))).rejects.toThrow();
    const [rejection] = await eventsWhere(sql`request_id = ${rejected.requestId}`);
    expect(rejection).toMatchObject({ source: "settlement", category: "DATABASE_ERROR", route: "settlement rejected" });

    // An outbox of its own (not one of the shards other tests count): five rejections park the record.
    if (!env.SETTLEMENT_OUTBOX) throw new Error("SETTLEMENT_OUTBOX is not bound");
    const outbox = env.SETTLEMENT_OUTBOX.getByName(`error-events-${crypto.randomUUID()}`);
    const parked = inferenceRecord(account.userId + 900_000_000, `ee-parked-${crypto.randomUUID()}`, "0.000001000");
    await outbox.enqueue(parked);
    for (let attempt = 0; attempt < 5; attempt++) await runDurableObjectAlarm(outbox);
    expect(await outbox.backlog()).toMatchObject({ pending: 0, deadLetters: 1 });
    const [parking] = await eventsWhere(sql`request_id = ${parked.requestId} and route = 'settlement parked'`);
    expect(parking).toMatchObject({ severity: "critical", source: "settlement" });
  });

  it("records the recovery of an outbox that had to retry while Postgres was down", async () => {
    const account = await registerAccount();
    if (!env.SETTLEMENT_OUTBOX) throw new Error("SETTLEMENT_OUTBOX is not bound");
    const name = `error-events-retry-${crypto.randomUUID()}`;
    const outbox = env.SETTLEMENT_OUTBOX.getByName(name);
    await outbox.enqueue(inferenceRecord(account.userId, `ee-retry-${crypto.randomUUID()}`, "0.000001000"));
    await runInDurableObject(outbox, (_instance, state) =>
      new SettlementOutbox(state, { ...env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" }).alarm(),
    );
    expect(await runDurableObjectAlarm(outbox)).toBe(true);
    const [event] = await eventsWhere(sql`source = 'settlement' and details->>'outbox' = ${name}`);
    expect(event).toMatchObject({ route: "settlement retried", severity: "high" });
    expect(event?.details).toMatchObject({ failed_attempts: 1 });
  });
});

describe("fingerprints and scrubbing", () => {
  it("groups occurrences that differ only in numbers, ids, uuids, hex and quoted strings", async () => {
    const a = `Timeout after 30 s for request 3f1c2a9e-8d2b-4c1e-9f00-1234567890ab key 'alpha' at 0xdeadbeefcafe01`;
    const b = `Timeout after 45 s for request 0a1b2c3d-0000-4c1e-9f00-abcdefabcdef key 'beta' at 0x0123456789abcd`;
    expect(normalizeMessage(a)).toBe(normalizeMessage(b));
    expect(await fingerprintOf("TIMEOUT_ERROR", "http", "/x", a)).toBe(
      await fingerprintOf("TIMEOUT_ERROR", "http", "/x", b),
    );
    expect(await fingerprintOf("TIMEOUT_ERROR", "http", "/y", a)).not.toBe(
      await fingerprintOf("TIMEOUT_ERROR", "http", "/x", a),
    );
    expect(await fingerprintOf("TIMEOUT_ERROR", "cron", "/x", a)).not.toBe(
      await fingerprintOf("TIMEOUT_ERROR", "http", "/x", a),
    );
    expect(await fingerprintOf("TIMEOUT_ERROR", "http", "/x", "other failure")).not.toBe(
      await fingerprintOf("TIMEOUT_ERROR", "http", "/x", a),
    );
  });

  it("scrubs keys, bearer tokens, vendor keys and failed-query parameters", () => {
    const text = scrubSecrets(
      'Authorization: Bearer gw_live_abcdefghijklmnopqrstuvwxyz012345 sk-ant-api03-abcdefghijklmnop "api_key":"zzzzzzzzzz"\nparams: me@example.com,42',
      ["my-configured-secret"],
    );
    expect(text).not.toMatch(/abcdefghijklmnopqrstuvwxyz012345|api03-abcdefghijklmnop|zzzzzzzzzz|me@example\.com/);
    expect(scrubSecrets("x my-configured-secret y", ["my-configured-secret"])).toBe("x [redacted] y");
  });

  it("records a cron failure reported directly with its job name", async () => {
    const word = uniqueWord();
    await reportCronFailure(env, "0 * * * *", new Error(`job ${word} could not reach redis`), "modelSync");
    const [event] = await eventsWhere(sql`source = 'cron' and message like ${`%${word}%`}`);
    expect(event).toMatchObject({ category: "CACHE_ERROR", severity: "medium", route: "cron 0 * * * * modelSync" });
  });
});
