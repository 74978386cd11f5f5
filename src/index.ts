// Worker entry: the HTTP app and the scheduled (cron) handler. Durable Object classes are exported here.
import { createApp } from "./app";
import { runScheduledJobs } from "./cron";
import type { Env } from "./env";

export { CircuitBreaker } from "./durable-objects/circuit-breaker";
export { ConcurrencyGate } from "./durable-objects/concurrency-gate";
export { SettlementOutbox } from "./durable-objects/settlement-outbox";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(controller, env, ctx));
  },
} satisfies ExportedHandler<Env>;
