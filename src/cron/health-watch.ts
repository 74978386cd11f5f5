// The per-minute health watcher (cron "* * * * *"): probes Postgres, Redis and every configured
// provider, opens a downtime incident after INCIDENT_FAILURE_THRESHOLD failed checks in a row and
// resolves it after INCIDENT_RECOVERY_THRESHOLD good ones. See src/operations/health-watch.ts.
import type { Env } from "../env";
import { watchHealth } from "../operations/health-watch";

export async function runHealthWatch(env: Env, _ctx: ExecutionContext, scheduledTime: number): Promise<void> {
  // A dependency being down is what this job reports, not a failure of the job: it only throws on a bug.
  await watchHealth(env, scheduledTime);
}
