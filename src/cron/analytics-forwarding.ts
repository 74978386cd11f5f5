// Every minute: analytics events of the last day that a configured sink has not accepted yet (it was
// down when they arrived) are sent again.
import { openSqlDatabase } from "../db/client";
import { type Env, readConfig } from "../env";
import { configuredSinks, retryUnforwarded } from "../operations/analytics-sinks";

export async function runAnalyticsForwarding(env: Env, _ctx: ExecutionContext, _scheduledTime: number): Promise<void> {
  const config = readConfig(env);
  if (!config.DATABASE_URL || configuredSinks(config).length === 0) return;
  await retryUnforwarded(openSqlDatabase(config), config);
}
