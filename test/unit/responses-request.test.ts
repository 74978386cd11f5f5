// Responses request -> chat request: items to messages, tools, text.format, settings echoed back.
import { describe, expect, it } from "vitest";
import {
  ResponsesRequestError,
  responseSettings,
  responsesRequestToChat,
} from "../../src/gateway/responses/request-to-chat";

const call = (callId: string, name = "f") => ({ type: "function_call", call_id: callId, name, arguments: "{}" });

describe("responsesRequestToChat", () => {
  it("makes a string input one user message after the instructions", () => {
    const request = responsesRequestToChat({ model: "m", input: "Hi", instructions: "Be kind" }, []);
    expect(request).toEqual({
      model: "m",
      messages: [
        { role: "system", content: "Be kind" },
        { role: "user", content: "Hi" },
      ],
    });
  });

  it("puts the previous conversation first, joins function calls to the assistant turn before them", () => {
    const previous = [
      { type: "message", role: "user", content: "Weather?" },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking", annotations: [] }] },
      call("call_1", "weather"),
      call("call_2", "time"),
    ];
    const request = responsesRequestToChat(
      {
        model: "m",
        input: [
          { type: "function_call_output", call_id: "call_1", output: "sunny" },
          { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "noon" }] },
          { type: "reasoning", id: "rs_1", summary: [] },
          call("call_3"),
        ],
      },
      previous,
    );
    expect(request.messages).toEqual([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "Checking",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } },
          { id: "call_2", type: "function", function: { name: "time", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
      { role: "tool", tool_call_id: "call_2", content: "noon" },
      // After tool results, a function call opens a new assistant turn.
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_3", type: "function", function: { name: "f", arguments: "{}" } }],
      },
    ]);
  });

  it("maps system and developer to system, keeps mixed user parts, sends limits and stream usage", () => {
    const request = responsesRequestToChat(
      {
        model: "m",
        input: [
          { role: "developer", content: [{ type: "input_text", text: "Rules" }] },
          { role: "system", content: "More rules" },
          { role: "user", content: [{ type: "input_image", image_url: "data:image/png;base64,AA", detail: "auto" }] },
        ],
        max_output_tokens: 64,
        temperature: 0,
        top_p: 0.9,
        stream: true,
      },
      [],
    );
    expect(request).toEqual({
      model: "m",
      messages: [
        { role: "system", content: "Rules" },
        { role: "system", content: "More rules" },
        { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AA" } }] },
      ],
      max_completion_tokens: 64,
      temperature: 0,
      top_p: 0.9,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("translates tools and tool choices, and drops choices when there are no tools", () => {
    const tools = [{ type: "function", name: "f", description: "does f", parameters: { type: "object" } }];
    for (const [choice, expected] of [
      ["required", "required"],
      ["none", "none"],
      [
        { type: "function", name: "f" },
        { type: "function", function: { name: "f" } },
      ],
    ] as const) {
      const request = responsesRequestToChat({ model: "m", input: "x", tools, tool_choice: choice }, []);
      expect(request.tools).toEqual([
        { type: "function", function: { name: "f", description: "does f", parameters: { type: "object" } } },
      ]);
      expect(request.tool_choice).toEqual(expected);
    }
    const without = responsesRequestToChat(
      { model: "m", input: "x", tool_choice: "required", parallel_tool_calls: false },
      [],
    );
    expect(without).not.toHaveProperty("tool_choice");
    expect(without).not.toHaveProperty("parallel_tool_calls");
  });

  it("turns text.format into response_format", () => {
    const json = responsesRequestToChat({ model: "m", input: "x", text: { format: { type: "json_object" } } }, []);
    expect(json.response_format).toEqual({ type: "json_object" });
    const plain = responsesRequestToChat({ model: "m", input: "x", text: { format: { type: "text" } } }, []);
    expect(plain).not.toHaveProperty("response_format");
  });

  it.each([
    [{ input: [{ role: "robot", content: "x" }] }, "input[0].role"],
    [{ input: [{ role: "system", content: [{ type: "input_image", image_url: "u" }] }] }, "input[0].content[0].type"],
    [
      { input: [{ role: "user", content: [{ type: "input_image", file_id: "file_1" }] }] },
      "input[0].content[0].image_url",
    ],
    [{ input: [{ type: "function_call", call_id: "c", arguments: "{}" }] }, "input[0].name"],
    [
      { input: [{ type: "function_call_output", call_id: "c", output: [{ type: "input_image" }] }] },
      "input[0].output[0]",
    ],
    [{ input: "x", tools: [{ type: "function" }] }, "tools[0].name"],
    [{ input: [] }, "input"],
  ])("refuses %j naming %s", (body, param) => {
    let caught: unknown;
    try {
      responsesRequestToChat({ model: "m", ...body }, []);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResponsesRequestError);
    expect(caught instanceof ResponsesRequestError ? caught.param : undefined).toBe(param);
  });
});

describe("responseSettings", () => {
  it("echoes the request with OpenAI's defaults", () => {
    expect(responseSettings({ model: "m" })).toEqual({
      instructions: null,
      max_output_tokens: null,
      metadata: {},
      parallel_tool_calls: true,
      reasoning: { effort: null, summary: null },
      store: true,
      temperature: 1,
      text: { format: { type: "text" } },
      tool_choice: "auto",
      tools: [],
      top_p: 1,
      truncation: "disabled",
      user: null,
    });
    const settings = responseSettings({ model: "m", store: false, tools: [{ type: "function", name: "f" }] });
    expect(settings.store).toBe(false);
    expect(settings.tools).toEqual([
      { type: "function", name: "f", description: null, parameters: null, strict: null },
    ]);
  });
});
