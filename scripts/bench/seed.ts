// The bench's tenant, inserted with SQL: one active user with a large balance, one API key (stored as
// SHA-256 hex + display prefix, as src/lib/crypto.ts does), a per-key rate-limit row high enough never to
// refuse bench traffic, and a priced catalog row for openai/bench-model. Nothing here bypasses the
// gateway's checks: the key is authenticated, rate limited, gated and billed like any other.
import type { Pool } from "@neondatabase/serverless";
import { generateApiKey, keyDisplayPrefix, sha256Hex } from "../../src/lib/crypto";
import { withPool } from "../local-stack/migrate";

export const BENCH_MODEL = "bench-model";
/** Plenty for any run: the bench never runs out of credit. */
const balanceUsd = "1000000";
/** Above anything the bench sends: rate limits are checked on every request but never refuse one. */
const unlimited = 2_000_000_000;
/**
 * The key has no per-key concurrency gate (an opt-in per key) unless BENCH_KEY_CONCURRENCY sets one,
 * to measure the gate's own cost (two Durable Object calls per request).
 */
const keyConcurrencyLimit = process.env.BENCH_KEY_CONCURRENCY ? Number(process.env.BENCH_KEY_CONCURRENCY) : null;

export interface BenchTenant {
  apiKey: string;
  userId: number;
  apiKeyId: number;
}

/**
 * A key id far above what tests create, so the bench's Upstash windows (`gw:key:requests:minute:<id>`)
 * in a shared Redis never collide with a test key's.
 */
function benchKeyId(): number {
  return 1_900_000_000 + Math.floor(Math.random() * 100_000_000);
}

export async function seedBenchTenant(databaseUrl: string): Promise<BenchTenant> {
  const { key } = generateApiKey("live");
  const keyHash = await sha256Hex(key);
  return withPool(databaseUrl, async (pool: Pool) => {
    const provider = await pool.query<{ id: number }>(
      `insert into providers (slug, name) values ('openai', 'OpenAI')
       on conflict (slug) do update set name = excluded.name returning id`,
    );
    await pool.query(
      `insert into models (provider_id, provider_model_id, model_name, price_prompt, price_completion)
       values ($1, $2, 'Bench model', 0.000001, 0.000002)
       on conflict (provider_id, provider_model_id) do update set price_prompt = excluded.price_prompt,
         price_completion = excluded.price_completion, is_active = true`,
      [provider.rows[0]?.id, BENCH_MODEL],
    );
    const suffix = Date.now().toString(36);
    const user = await pool.query<{ id: number }>(
      `insert into users (username, email, auth_method, subscription_status, tier, trial_expires_at, purchased_credits)
       values ($1, $2, 'email', 'active', 'max', now() + interval '3650 days', $3) returning id`,
      [`bench_${suffix}`, `bench-${suffix}@localhost.dev`, balanceUsd],
    );
    const userId = Number(user.rows[0]?.id);
    const apiKey = await pool.query<{ id: number }>(
      `insert into api_keys (id, user_id, key_hash, key_prefix, name, environment_tag, is_primary)
       values ($1, $2, $3, $4, 'Bench key', 'live', true) returning id`,
      [benchKeyId(), userId, keyHash, keyDisplayPrefix(key)],
    );
    const apiKeyId = Number(apiKey.rows[0]?.id);
    await pool.query(
      `insert into rate_limit_configs (api_key_id, requests_per_minute, requests_per_hour, requests_per_day,
         tokens_per_minute, tokens_per_hour, tokens_per_day, concurrency_limit)
       values ($1, $2, $2, $2, $2, $2, $2, $3)`,
      [apiKeyId, unlimited, keyConcurrencyLimit],
    );
    return { apiKey: key, userId, apiKeyId };
  });
}

export interface Settlement {
  /** Rows in chat_completion_requests for the bench key, by status. */
  completed: number;
  failed: number;
  /** USD charged so far (starting balance minus current balance). */
  chargedUsd: string;
}

/** What the gateway billed and logged for the bench key: the proof that it did the real work. */
export async function readSettlement(databaseUrl: string, tenant: BenchTenant): Promise<Settlement> {
  return withPool(databaseUrl, async (pool: Pool) => {
    const rows = await pool.query<{ status: string; count: string }>(
      "select status, count(*)::text as count from chat_completion_requests where api_key_id = $1 group by status",
      [tenant.apiKeyId],
    );
    const balance = await pool.query<{ charged: string }>(
      "select ($2::numeric - purchased_credits - subscription_allowance)::text as charged from users where id = $1",
      [tenant.userId, balanceUsd],
    );
    const count = (status: string) => Number(rows.rows.find((row) => row.status === status)?.count ?? 0);
    return { completed: count("completed"), failed: count("failed"), chargedUsd: balance.rows[0]?.charged ?? "?" };
  });
}
