// The scheduled error-monitor scan: on every minute's tick it scans only when an operator started the
// monitor (operation_settings, shared by every isolate) and its interval has passed since the last
// scan; the claim is one conditional update, so a tick never scans twice.
import { openDatabase, openSqlDatabase } from "../db/client";
import { claimDueScan } from "../db/error-monitor-state";
import { type Env, readConfig } from "../env";
import { runScan } from "../operations/error-scan";
import type { OperationsDeps } from "../operations/fix-generator";

export async function runErrorMonitorScan(env: Env, ctx: ExecutionContext, scheduledTime: number): Promise<void> {
  const config = readConfig(env);
  if (!config.DATABASE_URL) return;
  const sqlDb = openSqlDatabase(config);
  const state = await claimDueScan(sqlDb, new Date(scheduledTime));
  if (!state) return;
  const handle = openDatabase(config);
  const pending: Promise<unknown>[] = [];
  const deps: OperationsDeps = {
    env,
    config,
    db: () => handle.db,
    sql: () => sqlDb,
    defer: (work) => {
      const settled = work.catch((error: unknown) => {
        console.error(JSON.stringify({ msg: "error monitor background work failed", error: String(error) }));
      });
      pending.push(settled);
      ctx.waitUntil(settled);
    },
  };
  try {
    // Auto-fix needs a model; without one the scan still runs (start refuses auto_fix without it).
    const autoFix = state.auto_fix && config.ERROR_MONITOR_MODEL !== undefined;
    const { summary } = await runScan(deps, { hours: 1, autoFix, trigger: "cron" });
    console.log(JSON.stringify({ msg: "error monitor scan", ...summary }));
    // Fix suggestions started by the scan finish before the pool closes.
    await Promise.allSettled(pending);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
