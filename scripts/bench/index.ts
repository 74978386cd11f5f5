// `npm run bench`: our gateway against Portkey's open-source gateway, both in front of the same fast mock
// upstream, with direct calls to the mock as the baseline, on this machine in one run. Prints tables and
// writes bench-results/latest.json and bench-results/latest.md (git-ignored).
//
//   npm run bench                                   full run (a few minutes)
//   BENCH_QUICK=1 npm run bench                     smoke run (well under a minute)
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test BENCH_REDIS_URL=redis://127.0.0.1:6379 npm run bench
//                                                   real Postgres (a scratch database, dropped after) and Redis;
//                                                   without them: embedded PGlite and an in-memory Redis, fine
//                                                   for a smoke run but slow enough to dominate our numbers
//
// Options (environment): BENCH_ROUNDS (5), BENCH_SEQUENTIAL (500 per system per round), BENCH_WARMUP (50),
// BENCH_DURATION_SECONDS (5 per concurrency level), BENCH_CONCURRENCY (1,16,64), BENCH_THROUGHPUT_ROUNDS
// (min(rounds, 3)), BENCH_STREAMS (100 per round), BENCH_STREAM_CONCURRENCY (10), BENCH_STREAM_CHUNKS (20),
// BENCH_CHUNK_INTERVAL_MS (10), BENCH_UPSTREAM_LATENCY_MS (0), BENCH_OUT_DIR (bench-results).
// Exits 1 when any request failed, or our gateway did not bill and log every successful request.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aggregate } from "./aggregate";
import { type Checks, reviewRun, setupLines } from "./checks";
import { commandLine, readConfig, redactUrl } from "./config";
import { describeEnvironment } from "./environment";
import { peakRssMiB } from "./proc";
import { markdownReport, textReport } from "./report";
import { clientLabel, Runner, rotated } from "./runner";
import { type Systems, startSystems } from "./systems";

/** The request the recorded stream answered, so the body we send is a real one too. */
function recordedMessages(): unknown {
  const meta = JSON.parse(
    readFileSync(
      new URL("../../../shared/fixtures/upstream/openai/chat-stream-text-usage.meta.json", import.meta.url),
      "utf8",
    ),
  ) as { request: { body: string } };
  return (JSON.parse(meta.request.body) as { messages: unknown }).messages;
}

async function measure(runner: Runner, systems: Systems): Promise<void> {
  const config = runner.config;
  const list = systems.list;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  for (const system of list) await runner.warmup(system);
  for (let round = 0; round < config.rounds; round += 1) {
    const tag = `round ${round + 1}/${config.rounds}`;
    for (const system of rotated(list, round)) {
      const run = await runner.sequential(round, system);
      log(
        `${tag} sequential ${system.label}: p50 ${run.latency.p50.toFixed(2)} ms, p99 ${run.latency.p99.toFixed(2)} ms, ${run.failed} failed`,
      );
    }
    for (const system of rotated(list, round + 1)) {
      const run = await runner.streaming(round, system);
      log(`${tag} streaming ${system.label}: TTFB p50 ${run.ttfb.p50.toFixed(2)} ms, ${run.failed} failed`);
    }
    if (round >= config.throughputRounds) continue;
    for (const [index, concurrency] of config.concurrency.entries()) {
      for (const system of rotated(list, round + index + 2)) {
        const run = await runner.throughput(round, system, concurrency);
        log(
          `${tag} c=${concurrency} ${system.label}: ${Math.round(run.rps)} req/s, ${run.non2xx} non-2xx, ${run.errors} errors`,
        );
      }
    }
  }
}

async function main(): Promise<number> {
  const config = readConfig();
  const command = commandLine();
  mkdirSync(config.outDir, { recursive: true });
  let systems: Systems | undefined;
  // Ctrl-C: the children stop themselves (they get SIGINT too); make sure nothing is left behind.
  process.once("SIGINT", () => {
    process.stdout.write("\nInterrupted, stopping everything...\n");
    void (systems?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
  try {
    systems = await startSystems(config);
    const runner = new Runner(config, systems, recordedMessages());
    await measure(runner, systems);

    const [mock, settlement, workerLogs] = await Promise.all([
      systems.mockStats(),
      systems.settlement(),
      systems.workerLogs(),
    ]);
    const checks: Checks = { mock, settlement, workerLogs, portkeyStderr: systems.portkeyStderr() };
    const peakRss: Record<string, number | undefined> = {
      [clientLabel]: process.resourceUsage().maxRSS / 1024,
      [systems.mock.label]: peakRssMiB(systems.mock.pid),
    };
    for (const system of systems.list) {
      for (const entry of system.processes) peakRss[entry.label] = peakRssMiB(entry.pid);
    }
    const summary = aggregate(config, systems.list, runner.results, peakRss);
    const env = describeEnvironment(command, {
      miniflare: systems.worker.miniflareVersion,
      workerd: systems.worker.workerdVersion,
      portkey: systems.portkeyVersion,
    });
    const { notes, ok } = reviewRun(runner.results, systems, checks, join(config.outDir, "gateway.log"));
    const context = { config, env, setup: setupLines(config, systems), notes };

    process.stdout.write(`\n${textReport(summary, context)}\n`);
    const json = {
      env,
      config: { ...config, databaseUrl: config.databaseUrl && redactUrl(config.databaseUrl) },
      setup: context.setup,
      summary,
      checks,
      notes,
      raw: runner.results,
    };
    writeFileSync(join(config.outDir, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(config.outDir, "latest.md"), markdownReport(summary, context));
    process.stdout.write(`\nWrote ${join(config.outDir, "latest.json")} and ${join(config.outDir, "latest.md")}\n`);
    return ok ? 0 : 1;
  } finally {
    await systems?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
