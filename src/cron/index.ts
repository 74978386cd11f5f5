// Map of cron expression → job. Each expression must also be listed in wrangler.toml [triggers].
import type { Env } from "../env";
import { MODEL_SYNC_CRON, runScheduledModelSync } from "./model-sync";

export type CronJob = (env: Env, ctx: ExecutionContext, scheduledTime: number) => Promise<void>;

export const cronJobs: Record<string, CronJob> = { [MODEL_SYNC_CRON]: runScheduledModelSync };

export async function runScheduledJobs(
  controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const job = cronJobs[controller.cron];
  if (!job) {
    console.warn(JSON.stringify({ msg: "no job for cron expression", cron: controller.cron }));
    return;
  }
  await job(env, ctx, controller.scheduledTime);
}
