// POST /v1/responses with the official `openai` SDK: JSON and the typed event stream, on OpenAI,
// Anthropic and Gemini (translated through the chat pipeline), logged and billed as chat completions are.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, registerAccount, type TestAccount } from "../support/accounts";
import { priceModel } from "../support/catalog";
import { eventually } from "../support/eventually";
import { call } from "../support/gateway";
import type { RecordedRequest } from "../support/mock-upstream";
import { openAiClient } from "../support/openai-client";

// Model ids of this file only (the mock ignores `?case=`): other files price the same fixtures differently.
const textUpstream = "fixture:openai/chat-completion-text?case=responses";
const streamUpstream = "fixture:openai/chat-stream-text-usage?case=responses";

let account: TestAccount;
let client: OpenAI;

beforeAll(async () => {
  account = await registerAccount();
  client = openAiClient(account.apiKey);
  await priceModel("openai", textUpstream, { prompt: "0.000001", completion: "0.000002" });
  await priceModel("openai", streamUpstream, { prompt: "0.000003", completion: "0.000004" });
});

async function sentUpstream(model: string): Promise<RecordedRequest> {
  const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
  const sent = requests.filter((request) => request.body.model === model).at(-1);
  if (!sent) throw new Error(`no upstream request for ${model}`);
  return sent;
}

/** The request log row and the ledger amount of a settled request. */
async function settlementOf(requestId: string | null) {
  return eventually(async () => {
    const [row] = await execute(
      sql`select endpoint, stream, status, prompt_tokens, completion_tokens, cost_usd from chat_completion_requests
          where request_id = ${requestId ?? ""}`,
    );
    const [ledger] = await execute(
      sql`select amount, type from credit_transactions where idempotency_key = ${`usage:${requestId}`}`,
    );
    expect(row).toBeDefined();
    expect(ledger).toBeDefined();
    return { row: row ?? {}, ledger: ledger ?? {} };
  });
}

const costOf = (response: OpenAI.Responses.Response) => (response.usage as { cost?: number } | undefined)?.cost;

describe("POST /v1/responses with the OpenAI SDK", () => {
  it("answers a response object from the chat pipeline, logged and billed as `responses`", async () => {
    const { data: response, response: raw } = await client.responses
      .create({
        model: `openai/${textUpstream}`,
        instructions: "Be brief",
        input: "Invent a holiday",
        temperature: 0.5,
        max_output_tokens: 500,
        metadata: { ticket: "42" },
      })
      .withResponse();
    expect(response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(response).toMatchObject({
      object: "response",
      status: "completed",
      model: `openai/${textUpstream}`,
      instructions: "Be brief",
      temperature: 0.5,
      max_output_tokens: 500,
      metadata: { ticket: "42" },
      store: true,
      previous_response_id: null,
      error: null,
      incomplete_details: null,
      tools: [],
      tool_choice: "auto",
    });
    expect(response.output).toHaveLength(1);
    const [message] = response.output;
    expect(message).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(message?.type === "message" ? message.content[0] : undefined).toMatchObject({
      type: "output_text",
      annotations: [],
    });
    expect(response.output_text).toContain("Galaxy Day");
    expect(response.usage).toMatchObject({
      input_tokens: 16,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 363,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 379,
    });

    const sent = await sentUpstream(textUpstream);
    expect(sent.body.messages).toEqual([
      { role: "system", content: "Be brief" },
      { role: "user", content: "Invent a holiday" },
    ]);
    expect(sent.body).toMatchObject({ temperature: 0.5, max_completion_tokens: 500 });
    expect(sent.body).not.toHaveProperty("metadata");

    const nanos = 16 * 1000 + 363 * 2000;
    expect(costOf(response)).toBe(nanos / 1e9);
    const { row, ledger } = await settlementOf(raw.headers.get("x-request-id"));
    expect(row).toMatchObject({ endpoint: "responses", stream: false, status: "completed" });
    expect([Number(row.prompt_tokens), Number(row.completion_tokens)]).toEqual([16, 363]);
    expect(row.cost_usd).toBe((nanos / 1e9).toFixed(9));
    expect(ledger).toEqual({ amount: `-${(nanos / 1e9).toFixed(9)}`, type: "api_usage" });
  });

  it("streams OpenAI's typed events in order, usage and cost in response.completed, billed the same", async () => {
    const { data: stream, response: raw } = await client.responses
      .create({ model: `openai/${streamUpstream}`, input: "Count", stream: true })
      .withResponse();
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    expect(types.slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(new Set(types.slice(4, -4))).toEqual(new Set(["response.output_text.delta"]));
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));

    const deltas = events.flatMap((event) => (event.type === "response.output_text.delta" ? [event] : []));
    const text = deltas.map((event) => event.delta).join("");
    expect(text).toBe("1, 2, 3");
    const added = events.find((event) => event.type === "response.output_item.added");
    const itemId = added?.type === "response.output_item.added" ? added.item.id : undefined;
    expect(deltas.every((event) => event.item_id === itemId && event.output_index === 0)).toBe(true);
    const created = events[0];
    expect(created?.type === "response.created" && created.response.status).toBe("in_progress");

    const completed = events.at(-1);
    if (completed?.type !== "response.completed") throw new Error("the stream did not end with response.completed");
    expect(completed.response.output).toEqual([
      {
        id: itemId,
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    ]);
    expect(completed.response.usage).toMatchObject({ input_tokens: 14, output_tokens: 7, total_tokens: 21 });
    const nanos = 14 * 3000 + 7 * 4000;
    expect(costOf(completed.response)).toBe(nanos / 1e9);
    const { row, ledger } = await settlementOf(raw.headers.get("x-request-id"));
    expect(row).toMatchObject({ endpoint: "responses", stream: true, status: "completed" });
    expect(row.cost_usd).toBe((nanos / 1e9).toFixed(9));
    expect(ledger.amount).toBe(`-${(nanos / 1e9).toFixed(9)}`);
  });

  it("frames the stream as SSE with `event:` lines naming each event, and no [DONE]", async () => {
    const response = await call("/v1/responses", {
      method: "POST",
      key: account.apiKey,
      json: { model: `openai/${streamUpstream}`, input: "Count", stream: true },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const raw = await response.text();
    const blocks = raw.split("\n\n").filter((block) => block.length > 0);
    expect(blocks.length).toBeGreaterThan(8);
    for (const block of blocks) {
      const name = /^event: (.+)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? "null") as { type?: string };
      expect(name).toBe(data.type);
    }
    expect(raw).not.toContain("[DONE]");
  });

  it("assembles a streamed function call with the SDK's stream helper", async () => {
    const stream = client.responses.stream({
      model: "openai/fixture:openai/chat-stream-tool-call?case=responses",
      input: "Weather in Berlin?",
      tools: [{ type: "function", name: "weather", parameters: { type: "object", properties: {} }, strict: false }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types).toContain("response.function_call_arguments.delta");
    expect(types).toContain("response.function_call_arguments.done");
    expect(final.status).toBe("completed");
    const [call] = final.output;
    if (call?.type !== "function_call") throw new Error(`expected a function call, got ${call?.type}`);
    expect(call).toMatchObject({ name: "weather", call_id: "call_Ri18CzwNncOY61C3aLD9JKX1", status: "completed" });
    expect(call.id).toMatch(/^fc_/);
    expect(JSON.parse(call.arguments)).toHaveProperty("latitude");
  });

  it("reports a response cut short by the token limit as incomplete", async () => {
    const response = await client.responses.create({
      model: "openai/fixture:openai/chat-completion-finish-length-all-reasoning?case=responses",
      input: "Think hard",
      max_output_tokens: 100,
    });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(100);
  });
});

describe("POST /v1/responses on other providers", () => {
  it("reaches Anthropic, streamed and not, text and tool calls", async () => {
    const response = await client.responses.create({ model: "anthropic/fixture:anthropic/messages-text", input: "Hi" });
    expect(response.output_text.length).toBeGreaterThan(0);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    const streamed = await client.responses
      .stream({ model: "anthropic/fixture:anthropic/stream-text?case=responses", input: "Hi" })
      .finalResponse();
    expect(streamed.status).toBe("completed");
    expect(streamed.output_text.length).toBeGreaterThan(0);
    expect(streamed.usage?.output_tokens).toBeGreaterThan(0);
    const tool = await client.responses
      .stream({
        model: "anthropic/fixture:anthropic/stream-tool-use?case=responses",
        input: "Weather?",
        tools: [{ type: "function", name: "weather", parameters: { type: "object" }, strict: null }],
      })
      .finalResponse();
    const call = tool.output.find((item) => item.type === "function_call");
    expect(call?.type === "function_call" && typeof JSON.parse(call.arguments)).toBe("object");
    expect(tool.usage).toMatchObject({ input_tokens: 633, output_tokens: 75 });
  });

  it("reaches Gemini, streamed and not", async () => {
    const response = await client.responses.create({
      model: "google/fixture:google/generate-content-text",
      input: "Hi",
    });
    expect(response.output_text.length).toBeGreaterThan(0);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    const streamed = await client.responses
      .stream({ model: "google/fixture:google/stream-text", input: "Hi" })
      .finalResponse();
    expect(streamed.status).toBe("completed");
    expect(streamed.output_text.length).toBeGreaterThan(0);
  });
});
