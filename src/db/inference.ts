// Settling an inference request: the request log row, the charge with its ledger row, and the
// activity row, in one idempotent statement keyed by the request id.
import { and, eq, sql } from "drizzle-orm";
import { type AnyDatabase, type Database, queryRows } from "./client";
import { chatCompletionRequests } from "./schema";

export interface InferenceRecord {
  requestId: string;
  userId: number | null;
  apiKeyId: number | null;
  requestedModel: string;
  provider: string | null;
  upstreamModel: string | null;
  modelId: number | null;
  endpoint: "chat.completions" | "messages" | "ai-sdk" | "responses" | "embeddings" | "images";
  stream: boolean;
  status: "completed" | "failed";
  httpStatus: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  usageEstimated: boolean;
  priced: boolean;
  /** Exact decimal USD, e.g. "0.000012345". */
  cost: string;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  finishReason: string | null;
  errorMessage: string | null;
  /** The price lookup failed: price it from the catalog when applying (never settle it as free). */
  needsPricing?: boolean;
  /** Served from the response cache (cost 0): what the original answer cost, exact decimal USD. */
  cacheHit?: { savedCost: string };
  /** Failed attempts before this outcome (failover); empty when the first attempt answered. */
  attempts?: { provider: string; model: string; status: number; reason: string }[];
}

export interface Settlement {
  /** False when this request id was settled before (a retry): nothing was written again. */
  logged: boolean;
  charged: boolean;
  balanceAfter: string | null;
}

/**
 * Writes the log row; when it is new and costs something, debits the user (allowance first, then
 * purchased credits) with a ledger row whose idempotency key is the request id. The user's row is
 * locked for the debit, so concurrent settlements serialise and every ledger row is exact.
 */
export async function settleInference(db: AnyDatabase, record: InferenceRecord): Promise<Settlement> {
  const details = JSON.stringify({
    model: record.requestedModel,
    provider: record.provider,
    tokens_used: record.promptTokens + record.completionTokens,
    cost: record.cost,
    request_id: record.requestId,
    api_key_id: record.apiKeyId,
    status: record.status,
  });
  const metadata = JSON.stringify({
    request_id: record.requestId,
    model: record.requestedModel,
    provider: record.provider,
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
  });
  const rows = await queryRows(
    db,
    sql`
    with log as (
      insert into chat_completion_requests (
        request_id, user_id, api_key_id, requested_model, provider, upstream_model, model_id, endpoint, stream, status,
        http_status, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, reasoning_tokens,
        usage_estimated, priced, cost_usd, latency_ms, time_to_first_token_ms, finish_reason, error_message, attempts,
        cache_hit, saved_cost_usd)
      values (
        ${record.requestId}, ${record.userId}, ${record.apiKeyId}, ${record.requestedModel}, ${record.provider},
        ${record.upstreamModel}, ${record.modelId}, ${record.endpoint}, ${record.stream}, ${record.status},
        ${record.httpStatus}, ${record.promptTokens}, ${record.completionTokens}, ${record.cachedTokens},
        ${record.cacheWriteTokens}, ${record.reasoningTokens}, ${record.usageEstimated}, ${record.priced},
        ${record.cost}, ${record.latencyMs}, ${record.timeToFirstTokenMs}, ${record.finishReason}, ${record.errorMessage},
        ${JSON.stringify(record.attempts ?? [])}::jsonb, ${record.cacheHit !== undefined},
        ${record.cacheHit?.savedCost ?? "0"})
      on conflict (request_id) do nothing
      returning user_id, cost_usd
    ),
    locked as (
      select u.id, u.subscription_allowance, u.purchased_credits
      from users u join log on log.user_id = u.id
      where log.cost_usd > 0
      for update of u
    ),
    ledger as (
      insert into credit_transactions (user_id, amount, type, balance_before, balance_after, description, metadata, created_by, idempotency_key)
      select id, -${record.cost}::numeric, 'api_usage', subscription_allowance + purchased_credits,
             subscription_allowance + purchased_credits - ${record.cost}::numeric,
             ${`Usage: ${record.requestedModel}`}, ${metadata}::jsonb, 'system:usage', ${`usage:${record.requestId}`}
      from locked
      on conflict (idempotency_key) do nothing
      returning balance_after
    ),
    debit as (
      update users u
      set subscription_allowance = greatest(l.subscription_allowance - ${record.cost}::numeric, 0),
          purchased_credits = l.purchased_credits - greatest(${record.cost}::numeric - l.subscription_allowance, 0),
          updated_at = now()
      from locked l
      where u.id = l.id and exists (select 1 from ledger)
      returning u.id
    ),
    key_use as (
      -- Capped keys were counted exactly before the request; the rest count here, once per request.
      update api_keys set requests_used = requests_used + 1, last_used_at = now()
      where id = ${record.apiKeyId} and max_requests is null and exists (select 1 from log)
    ),
    audit as (
      insert into activity (user_id, action, details)
      select user_id, 'chat_completion', ${details}::jsonb from log where user_id is not null
    )
    select (select count(*) from log)::int as logged, (select count(*) from debit)::int as charged,
           (select balance_after from ledger) as balance_after
  `,
  );
  const row = rows[0];
  const balanceAfter = row?.balance_after;
  return {
    logged: Number(row?.logged ?? 0) > 0,
    charged: Number(row?.charged ?? 0) > 0,
    balanceAfter: typeof balanceAfter === "string" ? balanceAfter : null,
  };
}

export async function findUserSpendableBalance(db: AnyDatabase, userId: number): Promise<string | undefined> {
  const [row] = await queryRows(
    db,
    sql`select (subscription_allowance + purchased_credits)::text as balance from users where id = ${userId}`,
  );
  return typeof row?.balance === "string" ? row.balance : undefined;
}

export async function findGenerationOfUser(db: Database, userId: number, requestId: string) {
  const [row] = await db
    .select()
    .from(chatCompletionRequests)
    .where(and(eq(chatCompletionRequests.requestId, requestId), eq(chatCompletionRequests.userId, userId)))
    .limit(1);
  return row;
}
