import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, routingFields, userKeySecurity } from "../common.schemas";

const MessageSchema = z
  .looseObject({
    role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
    content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]).optional(),
    name: z.string().optional(),
    tool_calls: z.array(z.looseObject({})).optional(),
    tool_call_id: z.string().optional(),
  })
  .openapi("ChatMessage");

/** The seeds' ProxyRequest (001 L4954-5013). Unknown fields pass through to the provider. */
export const ChatCompletionRequestSchema = z
  .looseObject({
    model: z.string().trim().min(1).max(300).openapi({ example: "openrouter/meta-llama/llama-3.1-70b-instruct" }),
    messages: z.array(MessageSchema).min(1),
    max_tokens: z.number().int().positive().optional(),
    max_completion_tokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    n: z.number().int().min(1).max(128).optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4), z.null()]).optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
    stream: z.boolean().optional(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
    tools: z.array(z.looseObject({ type: z.string() })).optional(),
    tool_choice: z.union([z.string(), z.looseObject({})]).optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: z.looseObject({ type: z.enum(["text", "json_object", "json_schema"]) }).optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    logit_bias: z.record(z.string(), z.number()).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    user: z.string().optional(),
    service_tier: z.string().nullable().optional(),
    ...routingFields,
  })
  .openapi("ChatCompletionRequest");

const UsageSchema = z
  .looseObject({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.looseObject({ cached_tokens: z.number().int() }).optional(),
    completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().int() }).optional(),
    cost: z.number().openapi({ description: "USD charged for this request" }),
  })
  .openapi("Usage");

export const ChatCompletionSchema = z
  .looseObject({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.looseObject({
        index: z.number().int(),
        message: z.looseObject({ role: z.literal("assistant"), content: z.string().nullable() }),
        finish_reason: z.string().nullable(),
      }),
    ),
    usage: UsageSchema,
  })
  .openapi("ChatCompletion");

const description =
  "OpenAI-compatible chat completions for every provider. Route with `<provider>/<model>` (e.g. `groq/llama-3.1-8b-instant`), " +
  "an id the catalog knows, or any id for DEFAULT_PROVIDER (openrouter). With `stream: true` the answer is " +
  "`text/event-stream` of `chat.completion.chunk` objects ending with `data: [DONE]`; the usage chunk (with `cost`) is sent " +
  "when `stream_options.include_usage` is true. Every response's usage carries `cost` in USD; the caller is charged that.";

const responses = {
  200: {
    description: "A completion, or an event stream of chunks when `stream` is true",
    content: {
      "application/json": { schema: ChatCompletionSchema },
      "text/event-stream": {
        schema: z.string().openapi({ description: "data: {chat.completion.chunk}\\n\\n … data: [DONE]" }),
      },
    },
  },
  ...errorResponses(400, 401, 402, 403, 404, 429, 500, 502, 503, 504),
};

export const chatCompletionsRoute = createRoute({
  method: "post",
  path: "/v1/chat/completions",
  tags: ["Inference"],
  summary: "Create a chat completion (OpenAI-compatible)",
  description,
  security: userKeySecurity,
  request: { body: { required: true, content: { "application/json": { schema: ChatCompletionRequestSchema } } } },
  responses,
});

export const chatCompletionsAliasRoute = createRoute({
  ...chatCompletionsRoute,
  path: "/chat/completions",
  summary: "Alias of /v1/chat/completions",
});
