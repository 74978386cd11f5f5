// The scheduled catalog sync. Workers cap a cron invocation's subrequests and CPU, so each run syncs
// only the MODEL_SYNC_PROVIDERS_PER_RUN configured providers that are most overdue (never synced
// first); the rest follow in later runs.
import { configuredProviders, syncableProviders, syncProviders } from "../catalog/sync";
import { providerSyncStates } from "../db/catalog-sync";
import { openDatabase } from "../db/client";
import { type Env, readConfig } from "../env";
import type { ProviderId } from "../providers/registry";

export const MODEL_SYNC_CRON = "*/30 * * * *";

/** Configured providers due for a sync, most overdue first. */
export function dueProviders(
  candidates: ProviderId[],
  lastSynced: Map<string, Date | null>,
  now: number,
  intervalMinutes: number,
  perRun: number,
): ProviderId[] {
  const age = (id: ProviderId) => {
    const at = lastSynced.get(id);
    return at ? now - at.getTime() : Number.POSITIVE_INFINITY;
  };
  return candidates
    .filter((id) => age(id) >= intervalMinutes * 60_000)
    .sort((a, b) => age(b) - age(a) || a.localeCompare(b))
    .slice(0, perRun);
}

export async function runScheduledModelSync(env: Env, _ctx: ExecutionContext, scheduledTime: number): Promise<void> {
  const config = readConfig(env);
  const handle = openDatabase(config);
  try {
    const candidates = configuredProviders(env, config, syncableProviders(config.ENVIRONMENT));
    const states = await providerSyncStates(handle.db);
    const lastSynced = new Map(states.map((state) => [state.slug, state.lastSyncedAt]));
    const due = dueProviders(
      candidates,
      lastSynced,
      scheduledTime,
      config.MODEL_SYNC_INTERVAL_MINUTES,
      config.MODEL_SYNC_PROVIDERS_PER_RUN,
    );
    const results = await syncProviders(env, config, handle.db, due, { dryRun: false, trigger: "cron" });
    for (const result of results) {
      console.log(
        JSON.stringify({
          msg: "scheduled model sync",
          provider: result.provider,
          ok: result.success,
          detail: result.message,
        }),
      );
    }
  } finally {
    await handle.close();
  }
}
