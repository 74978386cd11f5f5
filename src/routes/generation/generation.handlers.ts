import type { RouteHandler } from "@hono/zod-openapi";
import { findGenerationOfUser } from "../../db/inference";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { parseUsd, usdNumber } from "../../lib/money";
import { currentUser } from "../../middleware/auth";
import type { generationRoute } from "./generation.routes";

export const getGeneration: RouteHandler<typeof generationRoute, AppEnv> = async (c) => {
  const { user } = currentUser(c);
  const { id } = c.req.valid("query");
  const row = await findGenerationOfUser(c.var.db(), user.id, id);
  if (!row) throw notFound(`Generation '${id}' not found`, "generation_not_found");
  return c.json(
    {
      data: {
        id: row.requestId,
        model: row.requestedModel,
        provider: row.provider,
        upstream_model: row.upstreamModel,
        endpoint: row.endpoint,
        streamed: row.stream,
        status: row.status,
        http_status: row.httpStatus,
        tokens_prompt: row.promptTokens,
        tokens_completion: row.completionTokens,
        tokens_cached: row.cachedTokens,
        tokens_cache_write: row.cacheWriteTokens,
        tokens_reasoning: row.reasoningTokens,
        usage_estimated: row.usageEstimated,
        priced: row.priced,
        total_cost: usdNumber(parseUsd(row.costUsd)),
        latency_ms: row.latencyMs,
        time_to_first_token_ms: row.timeToFirstTokenMs,
        finish_reason: row.finishReason,
        error_message: row.errorMessage,
        created_at: row.createdAt.toISOString(),
      },
    },
    200,
  );
};
