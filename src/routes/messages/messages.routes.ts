import { createRoute, z } from "@hono/zod-openapi";
import { userKeySecurity } from "../common.schemas";

const ContentBlockSchema = z.looseObject({ type: z.string().min(1) });

/** Anthropic's Messages API request; fields it does not know are ignored, as Anthropic's own API does. */
export const MessagesRequestSchema = z
  .looseObject({
    model: z.string().trim().min(1).max(300).openapi({ example: "anthropic/claude-haiku-4-5" }),
    max_tokens: z.number().int().positive(),
    messages: z
      .array(
        z.looseObject({
          role: z.enum(["user", "assistant"]),
          content: z.union([z.string(), z.array(ContentBlockSchema)]),
        }),
      )
      .min(1),
    system: z.union([z.string(), z.array(ContentBlockSchema)]).optional(),
    tools: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
    tool_choice: z.looseObject({ type: z.enum(["auto", "any", "tool", "none"]) }).optional(),
    stop_sequences: z.array(z.string()).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    stream: z.boolean().optional(),
    thinking: z.looseObject({ type: z.string() }).optional(),
    metadata: z.looseObject({ user_id: z.string().optional() }).optional(),
  })
  .openapi("MessagesRequest");

const AnthropicErrorSchema = z
  .object({ type: z.literal("error"), error: z.object({ type: z.string(), message: z.string() }) })
  .openapi("AnthropicError");

const MessageSchema = z
  .looseObject({
    id: z.string(),
    type: z.literal("message"),
    role: z.literal("assistant"),
    model: z.string(),
    content: z.array(ContentBlockSchema),
    stop_reason: z.string().nullable(),
    stop_sequence: z.string().nullable(),
    usage: z.looseObject({
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      cache_read_input_tokens: z.number().int().optional(),
      cache_creation_input_tokens: z.number().int().optional(),
    }),
  })
  .openapi("AnthropicMessage");

export const anthropicError = (description: string) => ({
  description,
  content: { "application/json": { schema: AnthropicErrorSchema } },
});

export const messagesRoute = createRoute({
  method: "post",
  path: "/v1/messages",
  tags: ["Inference"],
  summary: "Create a message (Anthropic Messages API), on any provider",
  description:
    "For clients of Anthropic's SDKs: the same request and response shapes, the same SSE event sequence " +
    "(message_start … message_stop) and Anthropic's error shape. Authenticate with `x-api-key` or Bearer. The model " +
    "is routed like /v1/chat/completions (`anthropic/…`, `openai/…`, any provider). Usage is billed the same way; " +
    "the request's cost is at GET /v1/generation?id=<x-request-id>.",
  security: userKeySecurity,
  request: {
    headers: z.object({ "anthropic-version": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: MessagesRequestSchema } } },
  },
  responses: {
    200: {
      description: "A message, or an event stream when `stream` is true",
      content: {
        "application/json": { schema: MessageSchema },
        "text/event-stream": {
          schema: z.string().openapi({ description: "event: message_start … event: message_stop" }),
        },
      },
    },
    400: anthropicError("Invalid request"),
    401: anthropicError("Missing or invalid API key"),
    402: anthropicError("No credits left"),
    403: anthropicError("Forbidden (IP, referrer, scope, model, expired trial)"),
    404: anthropicError("Unknown model"),
    429: anthropicError("Rate limited"),
    500: anthropicError("Internal error"),
    502: anthropicError("The provider failed"),
    504: anthropicError("The provider timed out"),
  },
});
