// Responses API conversation state (stored responses, previous_response_id, function-call round trips),
// GET/DELETE /v1/responses/{id}, request translation as the upstream receives it, and refusals.
import { env } from "cloudflare:workers";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { registerAccount, type TestAccount } from "../support/accounts";
import { call, errorOf } from "../support/gateway";
import type { RecordedRequest } from "../support/mock-upstream";
import { openAiClient } from "../support/openai-client";

let account: TestAccount;
let client: OpenAI;
let stranger: OpenAI;

const clientFor = (apiKey: string) => openAiClient(apiKey);

beforeAll(async () => {
  account = await registerAccount();
  client = clientFor(account.apiKey);
  stranger = clientFor((await registerAccount()).apiKey);
});

/** A model id no other request uses, and what the upstream received for it. */
const uniqueModel = (fixture: string) => `openai/fixture:${fixture}?case=state-${crypto.randomUUID()}`;

async function sentFor(model: string): Promise<Record<string, unknown>> {
  const upstreamModel = model.slice("openai/".length);
  const requests = (await (await fetch(`${env.TEST_MOCK_UPSTREAM_URL}/__requests`)).json()) as RecordedRequest[];
  const sent = requests.find((request) => request.body.model === upstreamModel);
  if (!sent) throw new Error(`no upstream request for ${upstreamModel}`);
  return sent.body;
}

const weatherTool = {
  type: "function" as const,
  name: "get_current_weather",
  parameters: { type: "object", properties: { location: { type: "string" } } },
  strict: false,
};

describe("conversation state", () => {
  it("continues from a stored response: its input and output come first, its instructions do not", async () => {
    const first = await client.responses.create({
      model: uniqueModel("openai/chat-completion-text"),
      instructions: "Speak like a pirate",
      input: [{ role: "user", content: "My name is Ada" }],
    });
    const model = uniqueModel("openai/chat-completion-text");
    const second = await client.responses.create({
      model,
      instructions: "Be formal",
      previous_response_id: first.id,
      input: "What is my name?",
    });
    expect(second.previous_response_id).toBe(first.id);
    expect((await sentFor(model)).messages).toEqual([
      { role: "system", content: "Be formal" },
      { role: "user", content: "My name is Ada" },
      { role: "assistant", content: first.output_text },
      { role: "user", content: "What is my name?" },
    ]);
    // The chain goes on: the third request sees all four turns before its own.
    const third = uniqueModel("openai/chat-completion-text");
    await client.responses.create({ model: third, previous_response_id: second.id, input: "And again?" });
    expect((await sentFor(third)).messages).toHaveLength(5);
  });

  it("round-trips a function call: function_call output, then function_call_output with previous_response_id", async () => {
    const first = await client.responses.create({
      model: uniqueModel("openai/chat-completion-tool-call"),
      input: "Weather in Boston?",
      tools: [weatherTool],
    });
    const [call] = first.output;
    if (call?.type !== "function_call") throw new Error(`expected a function call, got ${call?.type}`);
    expect(call).toMatchObject({
      name: "get_current_weather",
      call_id: "call_8fxy20OEu9ulvvaa5b5CzVA4",
      arguments: '{"location":"Boston, MA","unit":"fahrenheit"}',
      status: "completed",
    });
    const model = uniqueModel("openai/chat-completion-text");
    const second = await client.responses.create({
      model,
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: '{"temperature":70}' }],
      tools: [weatherTool],
    });
    expect(second.output_text.length).toBeGreaterThan(0);
    const sent = await sentFor(model);
    expect(sent.messages).toEqual([
      { role: "user", content: "Weather in Boston?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: call.call_id, type: "function", function: { name: call.name, arguments: call.arguments } }],
      },
      { role: "tool", tool_call_id: call.call_id, content: '{"temperature":70}' },
    ]);
    expect(sent.tools).toEqual([
      { type: "function", function: { name: weatherTool.name, parameters: weatherTool.parameters, strict: false } },
    ]);
  });

  it("has the streamed response stored by the time its stream ends", async () => {
    const final = await client.responses
      .stream({ model: "openai/fixture:openai/chat-stream-text-usage?case=responses-state", input: "Count" })
      .finalResponse();
    const stored = await client.responses.retrieve(final.id);
    // The stream helper adds `parsed: null` to text parts; everything stored is what was streamed.
    expect(stored.output).toHaveLength(1);
    expect(final.output).toMatchObject(stored.output);
    expect(stored.usage).toEqual(final.usage);
  });
});

describe("GET and DELETE /v1/responses/{id}", () => {
  it("returns your stored response as it was, refuses other users, and deletes it", async () => {
    const created = await client.responses.create({
      model: uniqueModel("openai/chat-completion-text"),
      instructions: "Be brief",
      input: "Hello",
      metadata: { topic: "greeting" },
    });
    const stored = await client.responses.retrieve(created.id);
    expect(stored).toMatchObject({
      id: created.id,
      object: "response",
      status: "completed",
      created_at: created.created_at,
      model: created.model,
      output: created.output,
      usage: created.usage,
      instructions: "Be brief",
      metadata: { topic: "greeting" },
      previous_response_id: null,
    });
    await expect(stranger.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    const continued = stranger.responses.create({
      model: uniqueModel("openai/chat-completion-text"),
      previous_response_id: created.id,
      input: "Hi",
    });
    await expect(continued).rejects.toMatchObject({ status: 404, code: "not_found", param: "previous_response_id" });
    await expect(stranger.responses.delete(created.id)).rejects.toMatchObject({ status: 404 });

    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.delete(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it("keeps nothing with store: false", async () => {
    const created = await client.responses.create({
      model: uniqueModel("openai/chat-completion-text"),
      input: "Hello",
      store: false,
    });
    expect(created).toMatchObject({ store: false });
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    const continued = client.responses.create({
      model: uniqueModel("openai/chat-completion-text"),
      previous_response_id: created.id,
      input: "Hi",
    });
    await expect(continued).rejects.toMatchObject({ status: 404, param: "previous_response_id" });
  });
});

describe("request translation", () => {
  it("sends developer messages, image parts, text.format, tools and choices as their chat equivalents", async () => {
    const model = uniqueModel("openai/chat-completion-json-mode");
    const response = await client.responses.create({
      model,
      input: [
        { role: "developer", content: "Answer in JSON" },
        {
          role: "user",
          content: [
            { type: "input_text", text: "Who is this?" },
            { type: "input_image", image_url: "https://example.com/a.png", detail: "low" },
          ],
        },
      ],
      text: { format: { type: "json_schema", name: "person", schema: { type: "object" }, strict: true } },
      tools: [{ type: "function", name: "lookup", parameters: { type: "object" }, strict: true }],
      tool_choice: { type: "function", name: "lookup" },
      parallel_tool_calls: false,
      reasoning: { effort: "low" },
      user: "user-1",
    });
    expect(JSON.parse(response.output_text)).toHaveProperty("name");
    expect(response.text?.format).toEqual({
      type: "json_schema",
      name: "person",
      schema: { type: "object" },
      strict: true,
    });
    expect(response.tool_choice).toEqual({ type: "function", name: "lookup" });
    expect(await sentFor(model)).toMatchObject({
      messages: [
        { role: "system", content: "Answer in JSON" },
        {
          role: "user",
          content: [
            { type: "text", text: "Who is this?" },
            { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "low" } },
          ],
        },
      ],
      response_format: {
        type: "json_schema",
        json_schema: { name: "person", schema: { type: "object" }, strict: true },
      },
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" }, strict: true } }],
      tool_choice: { type: "function", function: { name: "lookup" } },
      parallel_tool_calls: false,
      reasoning_effort: "low",
      user: "user-1",
    });
  });
});

describe("refusals", () => {
  const create = (json: Record<string, unknown>) =>
    call("/v1/responses", { method: "POST", key: account.apiKey, json });

  it.each([
    ["a built-in tool", { input: "x", tools: [{ type: "web_search" }] }, "tools[0].type"],
    ["an unsupported input item", { input: [{ type: "item_reference", id: "msg_1" }] }, "input[0].type"],
    [
      "a function output without call_id",
      { input: [{ type: "function_call_output", output: "1" }] },
      "input[0].call_id",
    ],
    [
      "an unsupported content part",
      { input: [{ role: "user", content: [{ type: "input_file" }] }] },
      "input[0].content[0].type",
    ],
    ["no input at all", { instructions: "x" }, "input"],
    [
      "a json_schema without schema",
      { input: "x", text: { format: { type: "json_schema", name: "n" } } },
      "text.format.schema",
    ],
    [
      "a non-function tool_choice",
      { input: "x", tools: [weatherTool], tool_choice: { type: "file_search" } },
      "tool_choice.type",
    ],
    ["a bad temperature", { input: "x", temperature: 3 }, "temperature"],
  ])("answers 400 for %s, naming the param", async (_what, body, param) => {
    const response = await create({ model: uniqueModel("openai/chat-completion-text"), ...body });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("answers 400 without a model and 401 without a key", async () => {
    expect((await create({ input: "x" })).status).toBe(400);
    const anonymous = await call("/v1/responses", { method: "POST", json: { model: "openai/x", input: "x" } });
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).error.type).toBe("authentication_error");
  });
});

describe("OpenAPI document", () => {
  it("documents create (JSON and event stream), get and delete with their statuses", async () => {
    const document = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const create = document.paths["/v1/responses"]?.post;
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "400", "401", "402", "403", "404", "429", "502", "504"]),
    );
    expect(Object.keys(create?.responses["200"]?.content ?? {})).toEqual(["application/json", "text/event-stream"]);
    for (const method of ["get", "delete"]) {
      expect(Object.keys(document.paths["/v1/responses/{response_id}"]?.[method]?.responses ?? {})).toEqual(
        expect.arrayContaining(["200", "401", "404"]),
      );
    }
  });
});
