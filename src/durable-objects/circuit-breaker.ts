// One circuit breaker per provider (`provider:groq`) and per provider+model (`model:groq/llama-3.1-8b`),
// plus one registry instance (`__registry__`) that remembers which breakers exist, for listing.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import {
  advance,
  applyOutcome,
  type BreakerOutcome,
  type BreakerSnapshot,
  type BreakerState,
  type BreakerThresholds,
  cooldownMs,
  defaultThresholds,
  initialState,
  snapshotOf,
} from "./breaker-policy";

export const breakerRegistryName = "__registry__";

const numberSetting = (env: Env, name: string, fallback: number): number => {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/** Thresholds from BREAKER_* settings, each defaulting as documented in breaker-policy.ts. */
export function breakerThresholds(env: Env): BreakerThresholds {
  return {
    windowMs: numberSetting(env, "BREAKER_WINDOW_SECONDS", defaultThresholds.windowMs / 1000) * 1000,
    minRequests: numberSetting(env, "BREAKER_MIN_REQUESTS", defaultThresholds.minRequests),
    failureRate: numberSetting(env, "BREAKER_FAILURE_RATE", defaultThresholds.failureRate),
    consecutiveFailures: numberSetting(env, "BREAKER_CONSECUTIVE_FAILURES", defaultThresholds.consecutiveFailures),
    cooldownMs: numberSetting(env, "BREAKER_COOLDOWN_SECONDS", defaultThresholds.cooldownMs / 1000) * 1000,
    maxCooldownMs: numberSetting(env, "BREAKER_MAX_COOLDOWN_SECONDS", defaultThresholds.maxCooldownMs / 1000) * 1000,
    halfOpenSuccesses: numberSetting(env, "BREAKER_HALF_OPEN_SUCCESSES", defaultThresholds.halfOpenSuccesses),
  };
}

export class CircuitBreaker extends DurableObject<Env> {
  private readonly thresholds = breakerThresholds(this.env);

  private async load(): Promise<BreakerState> {
    return (await this.ctx.storage.get<BreakerState>("state")) ?? initialState(Date.now());
  }

  private async save(name: string, state: BreakerState): Promise<BreakerSnapshot> {
    await this.ctx.storage.put("state", state);
    if (state.state === "open" && state.openedAt !== null) {
      await this.ctx.storage.setAlarm(state.openedAt + cooldownMs(state, this.thresholds));
    }
    await this.ensureRegistered(name);
    return snapshotOf(name, state, Date.now(), this.thresholds);
  }

  /** Known registered: spares a storage read on every outcome. */
  private registered = false;

  private async ensureRegistered(name: string): Promise<void> {
    if (this.registered || name === breakerRegistryName) return;
    if (await this.ctx.storage.get<boolean>("registered")) {
      this.registered = true;
      return;
    }
    await this.ctx.storage.put("name", name);
    const registry = this.env.CIRCUIT_BREAKER?.getByName(breakerRegistryName);
    await registry?.register(name);
    await this.ctx.storage.put("registered", true);
    this.registered = true;
  }

  /** The current state (created closed if this breaker is new). */
  async snapshot(name: string): Promise<BreakerSnapshot> {
    const state = advance(await this.load(), Date.now(), this.thresholds);
    return this.save(name, state);
  }

  /** `count` identical outcomes at once (isolates batch their successes). */
  async record(
    name: string,
    outcome: BreakerOutcome,
    reason: string | null = null,
    count = 1,
  ): Promise<BreakerSnapshot> {
    const times = Number.isSafeInteger(count) && count > 0 ? count : 1;
    const state = applyOutcome(await this.load(), outcome, reason, Date.now(), this.thresholds, times);
    return this.save(name, state);
  }

  async reset(name: string): Promise<BreakerSnapshot> {
    await this.ctx.storage.deleteAlarm();
    return this.save(name, initialState(Date.now()));
  }

  /** Moves an open breaker to half_open when its cooldown ends, even if no request asks. */
  override async alarm(): Promise<void> {
    const state = advance(await this.load(), Date.now(), this.thresholds);
    await this.ctx.storage.put("state", state);
    if (state.state === "open" && state.openedAt !== null) {
      await this.ctx.storage.setAlarm(state.openedAt + cooldownMs(state, this.thresholds));
    }
  }

  // Registry instance only.
  async register(name: string): Promise<void> {
    await this.ctx.storage.put(`breaker:${name}`, true);
  }

  async names(): Promise<string[]> {
    const entries = await this.ctx.storage.list<boolean>({ prefix: "breaker:" });
    return [...entries.keys()].map((key) => key.slice("breaker:".length)).sort();
  }

  async isRegistered(name: string): Promise<boolean> {
    return (await this.ctx.storage.get<boolean>(`breaker:${name}`)) === true;
  }
}
