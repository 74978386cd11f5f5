// The credit pre-check without a Postgres round trip on the warm path. Each isolate remembers a
// user's balance for BALANCE_CACHE_TTL_SECONDS and lowers it by every charge it settles itself; a
// request is admitted from memory only while that balance is above BALANCE_RECHECK_BELOW_USD. Near
// zero (or when the copy is stale) it asks Postgres, so the usual bound holds where it matters: a
// request admitted against the real balance overdraws by at most its own cost. The headroom bounds the
// rest: other isolates' spending inside one TTL beyond the threshold.
import { findUserSpendableBalance } from "../db/inference";
import { paymentRequired } from "../lib/errors";
import { type Nanos, parseUsd } from "../lib/money";
import { TtlCache } from "../lib/ttl-cache";
import type { InferenceContext } from "./context";

const balances = new TtlCache<Nanos>(50_000);

function remember(userId: number, balance: Nanos, ttlSeconds: number): void {
  balances.set(String(userId), balance, ttlSeconds * 1000);
}

export async function ensureCredit(ctx: InferenceContext): Promise<void> {
  const userId = ctx.caller.userId;
  // Anonymous callers are limited to the allowed (free) models and have no balance.
  if (userId === null) return;
  const known = balances.get(String(userId));
  if (known !== undefined && known > parseUsd(ctx.config.BALANCE_RECHECK_BELOW_USD)) return;
  if ((await readBalance(ctx, userId)) <= 0n) {
    throw paymentRequired("Insufficient credits: add credits to continue", "insufficient_credits");
  }
}

/**
 * Not shared between concurrent requests: a promise bound to one request's I/O must not be awaited
 * by another (it would hang if the first request were cancelled). A burst costs one cheap HTTP query
 * per request until the first answer is remembered.
 */
async function readBalance(ctx: InferenceContext, userId: number): Promise<Nanos> {
  const balance = await findUserSpendableBalance(ctx.sql(), userId);
  const nanos = balance === undefined ? 0n : parseUsd(balance);
  remember(userId, nanos, ctx.config.BALANCE_CACHE_TTL_SECONDS);
  return nanos;
}

/** A charge this isolate settled: the balance after it is the freshest value there is. */
export function noteSettledBalance(userId: number, balanceAfter: string, ttlSeconds: number): void {
  remember(userId, parseUsd(balanceAfter), ttlSeconds);
}

/** Forgets every remembered balance (an admin grant elsewhere takes effect at once here). */
export function forgetBalances(): void {
  balances.clear();
}
