// The measurement plan: rounds that interleave the systems (the order rotates every round so drift over
// the run hits all of them alike), and around every phase the CPU time of each process involved, read
// from /proc after the system has gone quiet again (deferred work such as billing counts for its phase).
import type { BenchConfig } from "./config";
import { type Failure, keepAliveAgent, pool, requestBody, timedRequest, timedStream } from "./http-client";
import { cpuMs } from "./proc";
import { type Summary, summarize } from "./stats";
import type { System, SystemId, Systems, TrackedProcess } from "./systems";
import { runThroughput, type ThroughputRun } from "./throughput";

export interface CpuTally {
  requests: number;
  /** CPU milliseconds per process label, summed over rounds. */
  cpuMs: Record<string, number>;
}

export interface SequentialRun {
  round: number;
  system: SystemId;
  latency: Summary;
  failed: number;
}

export interface StreamRun {
  round: number;
  system: SystemId;
  ttfb: Summary;
  gapsMs: number[];
  /** Streams whose chunk count differs from what the mock sent. */
  chunkMismatches: number;
  usageMissing: number;
  failed: number;
}

export interface RawResults {
  sequential: SequentialRun[];
  streams: StreamRun[];
  throughput: (ThroughputRun & { round: number; system: SystemId; concurrency: number })[];
  /** system → phase ("sequential", "stream", "c16", ...) → tally. */
  cpu: Record<string, Record<string, CpuTally>>;
  /** Requests sent per system (warm-up included), to check against the mock's and the database's counts. */
  sent: Record<string, { completions: number; streams: number; failed: number }>;
  /** Calls the mock upstream saw during each system's phases (warm-up included). */
  upstreamCalls: Record<string, number>;
  failures: Record<string, (Failure & { phase: string; count: number })[]>;
}

export const clientLabel = "bench client (this Node process)";

function clientCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function snapshot(processes: TrackedProcess[]): Record<string, number> {
  const values: Record<string, number> = { [clientLabel]: clientCpuMs() };
  for (const entry of processes) values[entry.label] = cpuMs(entry.pid) ?? Number.NaN;
  return values;
}

/** The record's entry for `key`, created on first use. */
function slot<T>(record: Record<string, T>, key: string, create: () => T): T {
  const existing = record[key];
  if (existing !== undefined) return existing;
  const created = create();
  record[key] = created;
  return created;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the processes use at most one clock tick per 200 ms (or 5 s pass): their work is done. */
async function settle(processes: TrackedProcess[]): Promise<void> {
  const total = () => processes.reduce((sum, entry) => sum + (cpuMs(entry.pid) ?? 0), 0);
  let previous = total();
  for (let waited = 0; waited < 5_000; waited += 200) {
    await sleep(200);
    const current = total();
    if (current - previous <= 10) return;
    previous = current;
  }
}

export class Runner {
  readonly results: RawResults = {
    sequential: [],
    streams: [],
    throughput: [],
    cpu: {},
    sent: {},
    upstreamCalls: {},
    failures: {},
  };

  constructor(
    readonly config: BenchConfig,
    private readonly systems: Systems,
    private readonly messages: unknown,
  ) {}

  /** Every process of a phase: the system's own, the mock upstream (and the client, always added). */
  private tracked(system: System): TrackedProcess[] {
    return [...system.processes, this.systems.mock];
  }

  /** Upstream calls so far, as the mock counts them. */
  private async upstreamTotal(): Promise<number> {
    const stats = await this.systems.mockStats();
    return stats.completions + stats.streams;
  }

  /**
   * Runs a phase between two CPU snapshots. Requests per phase are what the client sent or, if more,
   * what reached the mock: a throughput run ends with requests in flight that the client abandons but
   * the gateway still serves (and bills), and their CPU is in the snapshot.
   */
  private async measured<T>(system: System, phase: string, work: () => Promise<{ value: T; requests: number }>) {
    const processes = this.tracked(system);
    await settle(processes);
    const upstreamBefore = await this.upstreamTotal();
    const before = snapshot(processes);
    const { value, requests } = await work();
    await settle(processes);
    const after = snapshot(processes);
    const upstream = (await this.upstreamTotal()) - upstreamBefore;
    this.results.upstreamCalls[system.id] = (this.results.upstreamCalls[system.id] ?? 0) + upstream;
    const byPhase = slot<Record<string, CpuTally>>(this.results.cpu, system.id, () => ({}));
    const tally = slot<CpuTally>(byPhase, phase, () => ({ requests: 0, cpuMs: {} }));
    tally.requests += Math.max(requests, upstream);
    for (const [label, start] of Object.entries(before)) {
      tally.cpuMs[label] = (tally.cpuMs[label] ?? 0) + ((after[label] ?? Number.NaN) - start);
    }
    return value;
  }

  private count(system: System, kind: "completions" | "streams", requests: number, failed: number): void {
    const sent = slot(this.results.sent, system.id, () => ({ completions: 0, streams: 0, failed: 0 }));
    sent[kind] += requests;
    sent.failed += failed;
  }

  /** Distinct failures (status + body) per system, with how often each was seen. */
  private recordFailures(system: System, phase: string, failures: Failure[], weight = 1): void {
    const list = slot(this.results.failures, system.id, () => []);
    for (const failure of failures) {
      const seen = list.find((entry) => entry.status === failure.status && entry.body === failure.body);
      if (seen) seen.count += weight;
      else list.push({ ...failure, phase, count: weight });
    }
  }

  /** A few requests of each kind; a system that cannot answer them stops the bench here. */
  async warmup(system: System): Promise<void> {
    const upstreamBefore = await this.upstreamTotal();
    const agent = keepAliveAgent(4);
    const body = requestBody(system, false, this.messages);
    const streamBody = requestBody(system, true, this.messages);
    const outcomes = await pool(this.config.warmup, 4, () => timedRequest(agent, system, body));
    const streams = await pool(3, 3, () => timedStream(agent, system, streamBody));
    agent.destroy();
    await settle(this.tracked(system));
    const upstream = (await this.upstreamTotal()) - upstreamBefore;
    this.results.upstreamCalls[system.id] = (this.results.upstreamCalls[system.id] ?? 0) + upstream;
    this.count(system, "completions", outcomes.length, outcomes.filter((outcome) => !outcome.ok).length);
    this.count(system, "streams", streams.length, streams.filter((outcome) => !outcome.ok).length);
    const failed = [...outcomes, ...streams].find((outcome) => !outcome.ok);
    if (failed && !failed.ok) {
      throw new Error(`${system.label} failed its warm-up: HTTP ${failed.failure.status} ${failed.failure.body}`);
    }
  }

  async sequential(round: number, system: System): Promise<SequentialRun> {
    const body = requestBody(system, false, this.messages);
    const count = this.config.sequential;
    const run = await this.measured(system, "sequential", async () => {
      const agent = keepAliveAgent(1);
      const latencies: number[] = [];
      const failures: Failure[] = [];
      for (let index = 0; index < count; index += 1) {
        const outcome = await timedRequest(agent, system, body);
        if (outcome.ok) latencies.push(outcome.ms);
        else failures.push(outcome.failure);
      }
      agent.destroy();
      this.recordFailures(system, "sequential", failures);
      this.count(system, "completions", count, failures.length);
      const value: SequentialRun = { round, system: system.id, latency: summarize(latencies), failed: failures.length };
      return { value, requests: count };
    });
    this.results.sequential.push(run);
    return run;
  }

  async streaming(round: number, system: System): Promise<StreamRun> {
    const body = requestBody(system, true, this.messages);
    const { streams, streamConcurrency, streamChunks } = this.config;
    const run = await this.measured(system, "stream", async () => {
      const agent = keepAliveAgent(streamConcurrency);
      const outcomes = await pool(streams, streamConcurrency, () => timedStream(agent, system, body));
      agent.destroy();
      const samples = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.sample] : []));
      const failures = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.failure]));
      this.recordFailures(system, "stream", failures);
      this.count(system, "streams", streams, failures.length);
      const value: StreamRun = {
        round,
        system: system.id,
        ttfb: summarize(samples.map((sample) => sample.ttfbMs)),
        gapsMs: samples.flatMap((sample) => sample.gapsMs),
        chunkMismatches: samples.filter((sample) => sample.chunkEvents !== streamChunks).length,
        usageMissing: samples.filter((sample) => !sample.usageSeen).length,
        failed: failures.length,
      };
      return { value, requests: streams };
    });
    this.results.streams.push(run);
    return run;
  }

  async throughput(round: number, system: System, concurrency: number): Promise<ThroughputRun> {
    const body = requestBody(system, false, this.messages);
    const run = await this.measured(system, `c${concurrency}`, async () => {
      const value = await runThroughput(system, body, concurrency, this.config.durationSeconds);
      return { value, requests: value.requests };
    });
    this.count(system, "completions", run.requests + run.errors, run.non2xx + run.errors);
    // Non-2xx bodies are samples (autocannon's counts are complete); connection errors are all counted.
    this.recordFailures(system, `c${concurrency}`, run.failures);
    for (const [message, count] of Object.entries(run.errorMessages)) {
      this.recordFailures(system, `c${concurrency}`, [{ status: 0, body: message }], count);
    }
    this.results.throughput.push({ ...run, round, system: system.id, concurrency });
    return run;
  }
}

/** The systems in this round's order: rotated by `shift`, so each one leads in turn. */
export function rotated<T>(items: readonly T[], shift: number): T[] {
  const offset = shift % items.length;
  return [...items.slice(offset), ...items.slice(0, offset)];
}
