// Relays an upstream event stream to the client chunk by chunk (pull-driven: nothing is buffered
// beyond the event in hand), rendered by the front door's StreamOutput. Ends with an error event if
// the upstream fails mid-stream, and settles exactly once: at the end, on an upstream error, or when
// the client disconnects (tokens so far, estimated if the upstream reported none).
import type { EventSourceMessage } from "eventsource-parser";
import { formatUsd, usdNumber } from "../lib/money";
import { recordUpstreamFailure } from "../operations/error-events";
import type { ChatCompletionChunk, ChatRequest } from "../providers/openai-types";
import type { TokenUsage, UpstreamError } from "../providers/types";
import type { InferenceContext } from "./context";
import { costOf } from "./pricing";
import type { ResolvedModel } from "./resolve-model";
import type { ResponseFormat } from "./response-format";
import { type CatalogEntry, type Outcome, settleLater } from "./settle";
import { parseEventStream, sseHeaders } from "./sse";
import { estimateUsage, promptText } from "./usage";

interface RelayInput {
  ctx: InferenceContext;
  request: ChatRequest;
  resolved: ResolvedModel;
  response: Response;
  abort: AbortController;
  catalog: Promise<CatalogEntry>;
  format: ResponseFormat;
  /** Called once the stream has ended, however it ended (frees concurrency slots). */
  onEnd: () => Promise<unknown>;
  base: Pick<
    Outcome,
    "requestedModel" | "provider" | "upstreamModel" | "endpoint" | "stream" | "startedAt" | "attempts"
  >;
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
  const output = input.format.createStreamOutput();

  let usage: TokenUsage | undefined;
  let generated = "";
  /** The answer's own text (no reasoning or tool calls), for ctx.onAnswered. */
  let answerText = "";
  let firstTokenAt: number | null = null;
  let finishReason: string | null = null;
  let settled = false;
  const releaseHold = ctx.hold();

  const finalUsage = () => usage ?? estimateUsage(promptText(request), generated);
  const observeChunk = (chunk: ChatCompletionChunk) => {
    const text = textOfChunk(chunk);
    generated += text;
    if (ctx.onAnswered) {
      for (const choice of chunk.choices ?? []) {
        if (typeof choice.delta?.content === "string") answerText += choice.delta.content;
      }
    }
    if (firstTokenAt === null && text.length > 0) firstTokenAt = Date.now();
    const reason = chunk.choices?.find((choice) => choice.finish_reason)?.finish_reason;
    if (reason) finishReason = reason;
  };
  const costUsdOf = async (current: TokenUsage) => usdNumber(costOf(current, (await input.catalog).prices).nanos);

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
    if (status === "completed" && ctx.onAnswered) {
      ctx.defer(
        ctx.onAnswered({
          content: answerText,
          model: request.model,
          provider: resolved.providerId,
          upstreamModel: resolved.upstreamModel,
          promptTokens: charged.promptTokens,
          completionTokens: charged.completionTokens,
          cost: formatUsd(costOf(charged, entry.prices).nanos),
        }),
      );
    }
  };
  const settle = async (status: "completed" | "failed", httpStatus: number, errorMessage: string | null) => {
    if (settled) return;
    settled = true;
    // A client that hung up (499) is no upstream failure.
    if (status === "failed" && httpStatus !== 499) {
      recordUpstreamFailure(ctx, {
        requestId: ctx.requestId,
        provider: resolved.providerId,
        model: resolved.upstreamModel,
        status: httpStatus,
        reason: errorMessage ?? "stream failed",
        midStream: true,
      });
    }
    try {
      await recordOutcome(status, httpStatus, errorMessage);
    } finally {
      ctx.defer(input.onEnd());
      releaseHold();
    }
  };
  const enqueueAll = (controller: ReadableStreamDefaultController<Uint8Array>, bytes: Uint8Array[]) => {
    for (const piece of bytes) controller.enqueue(piece);
    return bytes.length > 0;
  };
  const finish = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const charged = finalUsage();
    enqueueAll(controller, output.finish(finishReason, charged, await costUsdOf(charged)));
    controller.close();
    await settle("completed", 200, null);
  };

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let next: ReadableStreamReadResult<EventSourceMessage>;
        try {
          next = await events.read();
        } catch (error) {
          enqueueAll(
            controller,
            output.error({
              status: 502,
              message: "Upstream stream failed",
              code: "provider_stream_error",
              param: null,
            }),
          );
          controller.close();
          await settle("failed", 502, `upstream stream failed: ${String(error)}`);
          return;
        }
        if (next.done) {
          await finish(controller);
          return;
        }
        let emitted = false;
        const parts = transformer.transform(next.value);
        if (output.passThroughEvent) {
          // The provider speaks the client's format: observe the parts, forward the event itself.
          let ended: "done" | UpstreamError | undefined;
          for (const part of parts) {
            if (part.type === "usage") usage = part.usage;
            else if (part.type === "chunk") observeChunk(part.chunk);
            else ended = part.type === "done" ? "done" : part.error;
          }
          const costUsd = usage ? await costUsdOf(usage) : undefined;
          enqueueAll(controller, output.passThroughEvent(next.value, usage, costUsd));
          if (ended === "done") {
            events.cancel().catch(() => undefined);
            controller.close();
            await settle("completed", 200, null);
            return;
          }
          if (ended) {
            controller.close();
            abort.abort(new Error("upstream reported an error"));
            await settle("failed", 502, `upstream stream error: ${ended.message}`.slice(0, 1000));
            return;
          }
          return;
        }
        for (const part of parts) {
          if (part.type === "usage") {
            usage = part.usage;
          } else if (part.type === "chunk") {
            const { chunk } = part;
            observeChunk(chunk);
            if (part.usageOnly) {
              if (usage)
                emitted = enqueueAll(controller, output.usageChunk(chunk, usage, await costUsdOf(usage))) || emitted;
              continue;
            }
            const costUsd = chunk.usage && usage ? await costUsdOf(usage) : undefined;
            emitted = enqueueAll(controller, output.chunk(chunk, usage, costUsd, part.raw)) || emitted;
          } else if (part.type === "error") {
            enqueueAll(controller, output.error(part.error));
            controller.close();
            abort.abort(new Error("upstream reported an error"));
            await settle("failed", 502, `upstream stream error: ${part.error.message}`.slice(0, 1000));
            return;
          } else {
            events.cancel().catch(() => undefined);
            await finish(controller);
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
