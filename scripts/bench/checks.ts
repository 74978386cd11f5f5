// What the report says besides the numbers: how each system was run, whether every request succeeded,
// whether the mock saw one upstream call per request, and whether our gateway billed and logged them.
import type { BenchConfig } from "./config";
import type { RawResults } from "./runner";
import type { Systems } from "./systems";
import type { WorkerLogs } from "./worker-host";

export interface Checks {
  mock: { completions: number; streams: number; bad: number };
  settlement: { completed: number; failed: number; chargedUsd: string };
  workerLogs: WorkerLogs;
  portkeyStderr: string;
}

export function setupLines(config: BenchConfig, systems: Systems): string[] {
  const worker = systems.worker;
  return [
    `direct: the mock upstream itself (Node node:http, keep-alive; recorded OpenAI payloads chat-completion-text.json and chat-stream-text-usage.sse; ${config.upstreamLatencyMs} ms base latency).`,
    `ours: the production bundle (wrangler deploy --dry-run) served by workerd ${worker.workerdVersion} through the Miniflare ${worker.miniflareVersion} API (no wrangler dev proxy), ENVIRONMENT=production. Every request: API key auth (cached in the isolate), Upstash rate limits (one pipelined call), circuit breakers (isolate copy; outcomes batched to the Durable Objects), ${process.env.BENCH_KEY_CONCURRENCY ? `a per-key concurrency gate of ${process.env.BENCH_KEY_CONCURRENCY} (Durable Object)` : "no per-key concurrency gate (opt-in per key; BENCH_KEY_CONCURRENCY sets one)"}, and billing + request log written to Postgres over SQL-over-HTTP after the response. Postgres: ${systems.stack.description.postgres}; Redis: ${systems.stack.description.redis}; the Neon/Upstash bridges run in their own Node process.`,
    `Portkey: @portkey-ai/gateway ${systems.portkeyVersion} Node server (build/start-server.js --headless, NODE_ENV=production), x-portkey-provider: openai + x-portkey-custom-host; no auth, rate limiting or billing of its own in this setup. @hono/node-server is pinned to 1.14.1 (later versions break Portkey's streaming: "TypeError: immutable", Portkey issue #1389).`,
  ];
}

/** Notes for the report, and whether the run is good enough to exit 0. */
export function reviewRun(
  raw: RawResults,
  systems: Systems,
  checks: Checks,
  logFile: string,
): { notes: string[]; ok: boolean } {
  const notes: string[] = [];
  let ok = true;
  if (systems.stack.description.postgres.startsWith("embedded")) {
    notes.push(
      "Postgres was embedded PGlite, in the same Node process as the bridges: our gateway's numbers then mostly measure PGlite. Set BENCH_DATABASE_URL and BENCH_REDIS_URL for representative numbers.",
    );
  }
  for (const system of systems.list) {
    const sent = raw.sent[system.id];
    const failures = raw.failures[system.id] ?? [];
    if (!sent || (sent.failed === 0 && failures.length === 0)) continue;
    ok = false;
    notes.push(
      `${system.label}: ${sent.failed} failed requests (warm-up included). Distinct failures, [phase] ×times seen (a throughput run keeps at most 5 bodies):`,
    );
    for (const failure of failures.slice(0, 8)) {
      notes.push(
        `  [${failure.phase}] ×${failure.count} HTTP ${failure.status || "(connection error)"}: ${failure.body}`,
      );
    }
  }

  const calls = systems.list.map((system) => {
    const sent = raw.sent[system.id];
    const total = sent ? sent.completions + sent.streams : 0;
    return `${system.label} ${raw.upstreamCalls[system.id] ?? 0} for ${total} sent`;
  });
  notes.push(
    `Upstream calls seen by the mock: ${calls.join("; ")} (a few more than sent is normal: each autocannon run ends with requests in flight that the client abandons and the gateway still completes).`,
  );

  const ours = raw.sent.ours;
  if (ours) {
    const expected = raw.upstreamCalls.ours ?? 0;
    const logged = checks.settlement.completed;
    notes.push(
      `Our gateway logged and billed ${logged} completed requests (${checks.settlement.failed} failed rows, $${checks.settlement.chargedUsd} charged) for ${expected} upstream calls it made.`,
    );
    if (logged < expected) {
      ok = false;
      notes.push(`  ${expected - logged} completed upstream calls have no completed row in chat_completion_requests.`);
    }
  }

  const { counts, messages } = checks.workerLogs;
  const levels = Object.entries(counts).map(([level, count]) => `${count} ${level}`);
  if (levels.length > 0) {
    notes.push(`Our Worker logged ${levels.join(", ")} lines (${logFile}). Most frequent:`);
    for (const entry of [...messages].sort((a, b) => b.count - a.count).slice(0, 5)) {
      notes.push(`  ×${entry.count} ${entry.level}: ${entry.message}`);
    }
  }
  if (checks.portkeyStderr.trim() !== "") {
    notes.push(
      `Portkey wrote to stderr (last lines): ${checks.portkeyStderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
  return { notes, ok };
}
