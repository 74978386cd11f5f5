// A settled request as the pipeline would record it, for tests that settle directly or via the outbox.
import type { InferenceRecord } from "../../src/db/inference";

/** 10 prompt + 5 completion tokens, completed, at the given exact USD cost. */
export function inferenceRecord(userId: number, requestId: string, cost: string): InferenceRecord {
  return {
    requestId,
    userId,
    apiKeyId: null,
    requestedModel: "test/model",
    provider: "openai",
    upstreamModel: "model",
    modelId: null,
    endpoint: "chat.completions",
    stream: false,
    status: "completed",
    httpStatus: 200,
    promptTokens: 10,
    completionTokens: 5,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    usageEstimated: false,
    priced: true,
    cost,
    latencyMs: 1,
    timeToFirstTokenMs: null,
    finishReason: "stop",
    errorMessage: null,
  };
}
