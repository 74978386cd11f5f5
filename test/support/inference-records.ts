// A settled request as the pipeline would record it, for tests that settle directly or via the outbox.
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { InferenceRecord } from "../../src/db/inference";
import { execute } from "./accounts";
import { eventually } from "./eventually";

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

/** The request-log row of a request id, once its settlement (which may run after the response) landed. */
export async function logRowOf(requestId: string | null): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const [row] = await execute(sql`select * from chat_completion_requests where request_id = ${requestId ?? ""}`);
    expect(row).toBeDefined();
    return row as Record<string, unknown>;
  });
}
