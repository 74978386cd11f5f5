// Map of cron expression → jobs. Each expression must also be listed in wrangler.toml [triggers].
// A failing job is recorded as an error event and does not stop the others of its tick.
import type { Env } from "../env";
import { reportCronFailure } from "../operations/error-events";
import { runAnalyticsForwarding } from "./analytics-forwarding";
import { runErrorMonitorScan } from "./error-monitor-scan";
import { runHealthWatch } from "./health-watch";
import { MODEL_SYNC_CRON, runScheduledModelSync } from "./model-sync";

export type CronJob = (env: Env, ctx: ExecutionContext, scheduledTime: number) => Promise<void>;

export const EVERY_MINUTE_CRON = "* * * * *";

export const cronJobs: Record<string, CronJob[]> = {
  [MODEL_SYNC_CRON]: [runScheduledModelSync],
  [EVERY_MINUTE_CRON]: [runHealthWatch, runErrorMonitorScan, runAnalyticsForwarding],
};

export async function runScheduledJobs(
  controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const jobs = cronJobs[controller.cron];
  if (!jobs) {
    console.warn(JSON.stringify({ msg: "no job for cron expression", cron: controller.cron }));
    return;
  }
  const results = await Promise.allSettled(jobs.map((job) => job(env, ctx, controller.scheduledTime)));
  for (const [index, result] of results.entries()) {
    if (result.status === "rejected") {
      console.error(
        JSON.stringify({
          msg: "cron job failed",
          cron: controller.cron,
          job: jobs[index]?.name,
          error: String(result.reason),
        }),
      );
      await reportCronFailure(env, controller.cron, result.reason);
    }
  }
  // The model sync rethrew before: keep a failed tick visible to the platform's cron log.
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
