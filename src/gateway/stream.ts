// Relays an upstream event stream to the client chunk by chunk (pull-driven: nothing is buffered
// beyond the event in hand). Adds cost to the usage chunk, strips the usage chunk the client did not
// ask for, ends with an error event if the upstream fails mid-stream, and settles exactly once:
// at the end, on an upstream error, or when the client disconnects (tokens so far, estimated if needed).
import type { EventSourceMessage } from "eventsource-parser";
import { usdNumber } from "../lib/money";
import type { ChatCompletionChunk, ChatRequest } from "../providers/openai-types";
import type { TokenUsage } from "../providers/types";
import type { InferenceContext } from "./context";
import { costOf } from "./pricing";
import type { ResolvedModel } from "./resolve-model";
import { type CatalogEntry, type Outcome, settleLater } from "./settle";
import { parseEventStream, sseData, sseDone, sseHeaders } from "./sse";
import { estimateUsage, promptText, toOpenAiUsage } from "./usage";

interface RelayInput {
  ctx: InferenceContext;
  request: ChatRequest;
  resolved: ResolvedModel;
  response: Response;
  abort: AbortController;
  catalog: Promise<CatalogEntry>;
  base: Pick<Outcome, "requestedModel" | "provider" | "upstreamModel" | "endpoint" | "stream" | "startedAt">;
}

function textOfChunk(chunk: ChatCompletionChunk): string {
  let text = "";
  for (const choice of chunk.choices ?? []) {
    const delta = choice.delta ?? {};
    if (typeof delta.content === "string") text += delta.content;
    if (typeof delta.reasoning_content === "string") text += delta.reasoning_content;
    if (typeof delta.reasoning === "string") text += delta.reasoning;
    for (const call of delta.tool_calls ?? []) text += `${call.function?.name ?? ""}${call.function?.arguments ?? ""}`;
  }
  return text;
}

export function relayChatStream(input: RelayInput): Response {
  const { ctx, request, resolved, response, abort, base } = input;
  const body = response.body;
  if (!body) throw new Error("relayChatStream needs a response body");
  const events = parseEventStream(body).getReader();
  const transformer = resolved.adapter.createStreamTransformer(request);
  const clientWantsUsage = request.stream_options?.include_usage === true;

  let usage: TokenUsage | undefined;
  let generated = "";
  let firstTokenAt: number | null = null;
  let finishReason: string | null = null;
  let settled = false;
  const releaseHold = ctx.hold();

  const finalUsage = () => usage ?? estimateUsage(promptText(request), generated);
  const settle = async (status: "completed" | "failed", httpStatus: number, errorMessage: string | null) => {
    if (settled) return;
    settled = true;
    try {
      await recordOutcome(status, httpStatus, errorMessage);
    } finally {
      releaseHold();
    }
  };
  const recordOutcome = async (status: "completed" | "failed", httpStatus: number, errorMessage: string | null) => {
    const entry = await input.catalog;
    const charged = finalUsage();
    settleLater(ctx, {
      ...base,
      status,
      httpStatus,
      usage: charged,
      usageEstimated: usage === undefined,
      catalog: entry,
      cost: costOf(charged, entry.prices),
      firstTokenAt,
      finishReason,
      errorMessage,
    });
  };
  const usageWithCost = async (current: TokenUsage) => {
    const entry = await input.catalog;
    return toOpenAiUsage(current, usdNumber(costOf(current, entry.prices).nanos));
  };

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let next: ReadableStreamReadResult<EventSourceMessage>;
        try {
          next = await events.read();
        } catch (error) {
          controller.enqueue(
            sseData(
              JSON.stringify({
                error: {
                  message: "Upstream stream failed",
                  type: "server_error",
                  code: "provider_stream_error",
                  param: null,
                },
              }),
            ),
          );
          controller.close();
          await settle("failed", 502, `upstream stream failed: ${String(error)}`);
          return;
        }
        if (next.done) {
          controller.enqueue(sseDone());
          controller.close();
          await settle("completed", 200, null);
          return;
        }
        let emitted = false;
        for (const part of transformer.transform(next.value)) {
          if (part.type === "usage") {
            usage = part.usage;
          } else if (part.type === "chunk") {
            const { chunk } = part;
            const text = textOfChunk(chunk);
            generated += text;
            if (firstTokenAt === null && text.length > 0) firstTokenAt = Date.now();
            const reason = chunk.choices?.find((choice) => choice.finish_reason)?.finish_reason;
            if (reason) finishReason = reason;
            if (part.usageOnly && !clientWantsUsage) continue;
            if (chunk.usage && usage) chunk.usage = { ...chunk.usage, ...(await usageWithCost(usage)) };
            controller.enqueue(sseData(JSON.stringify(chunk)));
            emitted = true;
          } else if (part.type === "error") {
            const { error } = part;
            controller.enqueue(
              sseData(
                JSON.stringify({
                  error: { message: error.message, type: "upstream_error", code: error.code, param: error.param },
                }),
              ),
            );
            controller.close();
            abort.abort(new Error("upstream reported an error"));
            await settle("failed", 502, `upstream stream error: ${error.message}`.slice(0, 1000));
            return;
          } else {
            controller.enqueue(sseDone());
            controller.close();
            events.cancel().catch(() => undefined);
            await settle("completed", 200, null);
            return;
          }
        }
        if (emitted) return;
      }
    },
    async cancel() {
      abort.abort(new Error("client disconnected"));
      events.cancel().catch(() => undefined);
      await settle("failed", 499, "client disconnected");
    },
  });

  return new Response(stream, { status: 200, headers: sseHeaders });
}
