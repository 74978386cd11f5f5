// How a streamed Responses answer ends when it does not complete: an upstream failure mid-stream
// (response.failed, nothing stored) and a client that hangs up (settled as 499, upstream aborted).
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { eventually } from "../support/eventually";
import { call } from "../support/gateway";
import type { RecordedRequest } from "../support/mock-upstream";

let account: TestAccount;

beforeAll(async () => {
  account = await registerAccount();
});

const create = (json: Record<string, unknown>) => call("/v1/responses", { method: "POST", key: account.apiKey, json });

function eventsOf(raw: string): { type: string; sequence_number: number; response?: Record<string, unknown> }[] {
  return raw
    .split("\n\n")
    .filter((block) => block.includes("data: "))
    .map((block) => JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? "null"));
}

describe("streams that do not complete", () => {
  it("ends with response.failed carrying the error when the upstream fails mid-stream, and stores nothing", async () => {
    const response = await create({
      model: "groq/fixture:openai-compatible/groq/stream-midstream-error-tool-use-failed",
      input: "Call the tool",
      stream: true,
    });
    expect(response.status).toBe(200);
    const events = eventsOf(await response.text());
    expect(events.slice(0, 2).map((event) => event.type)).toEqual(["response.created", "response.in_progress"]);
    const last = events.at(-1);
    expect(last?.type).toBe("response.failed");
    expect(last?.sequence_number).toBe(events.length - 1);
    expect(last?.response).toMatchObject({ status: "failed", usage: null, error: { code: "tool_use_failed" } });
    const id = String(last?.response?.id);
    const stored = await call(`/v1/responses/${id}`, { key: account.apiKey });
    expect(stored.status).toBe(404);
    const [row] = await eventually(async () => {
      const rows = await execute(
        sql`select endpoint, status from chat_completion_requests where request_id = ${response.headers.get("x-request-id") ?? ""}`,
      );
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row).toEqual({ endpoint: "responses", status: "failed" });
  });

  it("settles a client disconnect as 499 with the tokens so far and aborts the upstream", async () => {
    const upstreamModel = `fixture:openai/chat-stream-text-no-usage?case=responses-${crypto.randomUUID()}&delay=50`;
    const response = await create({ model: `openai/${upstreamModel}`, input: "Tell me a long story", stream: true });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    await reader.read();
    await reader.read();
    await reader.cancel();
    const row = await eventually(async () => {
      const [found] = await execute(
        sql`select * from chat_completion_requests where request_id = ${response.headers.get("x-request-id") ?? ""}`,
      );
      expect(found).toBeDefined();
      return found ?? {};
    });
    expect(row).toMatchObject({ endpoint: "responses", status: "failed", http_status: 499, usage_estimated: true });
    expect(Number(row.prompt_tokens)).toBeGreaterThan(0);
    await eventually(async () => {
      const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
      expect(requests.find((request) => request.body.model === upstreamModel)?.aborted).toBe(true);
    });
  });
});
