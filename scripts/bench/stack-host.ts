// Child process: the local stack our gateway needs (Postgres via the Neon WebSocket bridge, Redis via
// the Upstash bridge; see scripts/local-stack) plus the bench tenant. Kept out of the runner so the load
// generator never competes with the bridges for one event loop, and so the bridges' CPU shows up
// separately: in production they are Neon's and Upstash's, not the gateway's.

import { startLocalStack } from "../local-stack";
import { reportStartupFailure, serveParent } from "./ipc";
import { type BenchTenant, readSettlement, seedBenchTenant } from "./seed";

export interface StackReady {
  vars: Record<string, string>;
  tenant: BenchTenant;
  description: { postgres: string; redis: string };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const stack = await startLocalStack({
    databaseUrl,
    // A real database gets a scratch database for this run, dropped on stop.
    freshDatabase: databaseUrl !== undefined,
    redisUrl: process.env.BENCH_REDIS_URL || undefined,
  });
  let tenant: BenchTenant;
  try {
    tenant = await seedBenchTenant(stack.databaseUrl);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  // The stack's stub upstream is not part of the bench; only the Postgres and Upstash bindings are passed on.
  const { STUB_BASE_URL: _stubUrl, STUB_API_KEY: _stubKey, ...vars } = stack.vars;
  const ready: StackReady = { vars, tenant, description: stack.description };
  serveParent(ready, {
    handlers: { settlement: () => readSettlement(stack.databaseUrl, tenant) },
    stop: () => stack.stop(),
  });
}

main().catch(reportStartupFailure);
