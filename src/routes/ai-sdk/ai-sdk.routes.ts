import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent, userKeySecurity } from "../common.schemas";

export const AiSdkRequestSchema = z
  .object({
    model: z.string().trim().min(1).max(300).openapi({ example: "openai/gpt-4o-mini" }),
    messages: z
      .array(
        z.object({
          role: z.enum(["system", "user", "assistant"]),
          content: z.string(),
        }),
      )
      .min(1),
    max_tokens: z.number().int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    stream: z.boolean().nullable().optional(),
  })
  .openapi("AiSdkChatRequest");

export const AiSdkResponseSchema = z
  .object({
    choices: z.array(
      z.object({
        message: z.object({ role: z.literal("assistant"), content: z.string() }),
        finish_reason: z.string().nullable(),
      }),
    ),
    usage: z.object({
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      total_tokens: z.number().int(),
    }),
  })
  .openapi("AiSdkChatResponse");

const route = (path: string) =>
  createRoute({
    method: "post",
    path,
    tags: ["Inference"],
    summary: "Chat completion in the Vercel AI SDK's shape (same pipeline, billing and failover)",
    description:
      'With `stream: true` the answer is an event stream of `{"choices": [{"delta": {"role", "content"}}]}` ' +
      'chunks, then `{"choices": [{"finish_reason": …}]}` and `[DONE]`. An expired trial is 403.',
    security: userKeySecurity,
    request: { body: { required: true, content: { "application/json": { schema: AiSdkRequestSchema } } } },
    responses: {
      200: {
        ...jsonContent(AiSdkResponseSchema, "The answer (JSON), or an event stream when stream is true"),
        content: {
          "application/json": { schema: AiSdkResponseSchema },
          "text/event-stream": { schema: z.string() },
        },
      },
      ...errorResponses(400, 401, 402, 403, 429, 500, 502, 503),
    },
  });

export const aiSdkRoute = route("/api/chat/ai-sdk");
export const aiSdkCompletionsRoute = route("/api/chat/ai-sdk-completions");
