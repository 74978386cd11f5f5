// Placeholder: the scheduled error-monitor scan (issue 8 item 3) is being built; runs every minute
// when the operator has started the monitor.
import type { Env } from "../env";

export async function runErrorMonitorScan(_env: Env, _ctx: ExecutionContext, _scheduledTime: number): Promise<void> {}
