import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";

const InputItemSchema = z
  .looseObject({ type: z.string().optional(), role: z.string().optional() })
  .openapi({ description: "message, function_call or function_call_output (reasoning items are ignored)" });

/** OpenAI's Responses API request; fields it does not know are ignored, as OpenAI's own API does. */
export const ResponsesRequestSchema = z
  .looseObject({
    model: z.string().trim().min(1).max(300).openapi({ example: "openai/gpt-4.1-mini" }),
    input: z.union([z.string(), z.array(InputItemSchema)]).optional(),
    instructions: z.string().nullable().optional(),
    tools: z.array(z.looseObject({ type: z.string() })).optional(),
    tool_choice: z.union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.string() })]).optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    max_output_tokens: z.number().int().positive().nullable().optional(),
    stream: z.boolean().nullable().optional(),
    store: z.boolean().nullable().optional(),
    metadata: z
      .record(z.string().max(64), z.string().max(512))
      .refine((metadata) => Object.keys(metadata).length <= 16, "at most 16 keys")
      .nullable()
      .optional(),
    previous_response_id: z.string().trim().min(1).max(200).nullable().optional(),
    text: z
      .looseObject({ format: z.looseObject({ type: z.enum(["text", "json_object", "json_schema"]) }).optional() })
      .nullable()
      .optional(),
    reasoning: z.looseObject({ effort: z.string().nullable().optional() }).nullable().optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    user: z.string().max(256).optional(),
  })
  .openapi("ResponsesRequest");

const OutputItemSchema = z.looseObject({ id: z.string(), type: z.enum(["message", "function_call"]) });

const ResponsesUsageSchema = z
  .object({
    input_tokens: z.number().int(),
    input_tokens_details: z.object({ cached_tokens: z.number().int() }),
    output_tokens: z.number().int(),
    output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
    total_tokens: z.number().int(),
    cost: z.number().openapi({ description: "USD charged for this request" }),
  })
  .openapi("ResponsesUsage");

export const ResponseObjectSchema = z
  .looseObject({
    id: z.string().openapi({ example: "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b" }),
    object: z.literal("response"),
    created_at: z.number().int(),
    status: z.enum(["completed", "incomplete", "failed", "in_progress"]),
    model: z.string(),
    output: z.array(OutputItemSchema),
    usage: ResponsesUsageSchema.nullable(),
    previous_response_id: z.string().nullable(),
  })
  .openapi("Response");

const ResponseIdParam = z.object({
  response_id: z
    .string()
    .min(1)
    .max(200)
    .openapi({
      param: { name: "response_id", in: "path" },
      example: "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
    }),
});

const tags = ["Inference"];

export const createResponseRoute = createRoute({
  method: "post",
  path: "/v1/responses",
  tags,
  summary: "Create a model response (OpenAI Responses API), on any provider",
  description:
    "For clients of the Responses API: `input` (a string or message / function_call / function_call_output items), " +
    "`instructions`, function `tools`, `text.format`, `previous_response_id` (continues a stored response of yours) " +
    "and `store` (default true). Served by every provider through the chat pipeline and billed the same way; the " +
    "usage carries `cost` (USD). With `stream: true` the answer is OpenAI's typed event stream (response.created … " +
    "response.completed, each with `sequence_number`). Built-in tools (web_search, file_search, …) are 400.",
  security: userKeySecurity,
  request: { body: { required: true, content: { "application/json": { schema: ResponsesRequestSchema } } } },
  responses: {
    200: {
      description: "The response, or an event stream when `stream` is true",
      content: {
        "application/json": { schema: ResponseObjectSchema },
        "text/event-stream": {
          schema: z.string().openapi({
            description: "event: response.created … event: response.completed (data: the event with sequence_number)",
          }),
        },
      },
    },
    ...errorResponses(400, 401, 402, 403, 404, 429, 500, 502, 503, 504),
  },
});

export const getResponseRoute = createRoute({
  method: "get",
  path: "/v1/responses/{response_id}",
  tags,
  summary: "One of your stored responses",
  description:
    "As it was returned when created. Another user's, a deleted or an unstored (`store: false`) response is 404.",
  security: userKeySecurity,
  request: { params: ResponseIdParam },
  responses: {
    200: jsonContent(ResponseObjectSchema, "The response"),
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});

export const deleteResponseRoute = createRoute({
  method: "delete",
  path: "/v1/responses/{response_id}",
  tags,
  summary: "Delete one of your stored responses",
  description: "It can no longer be read or continued with previous_response_id.",
  security: userKeySecurity,
  request: { params: ResponseIdParam },
  responses: {
    200: jsonContent(
      z
        .object({ id: z.string(), object: z.literal("response.deleted"), deleted: z.literal(true) })
        .openapi("ResponseDeleted"),
      "Deleted",
    ),
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});
