// From per-round raw results to the numbers the report shows. Anything "per round" (percentiles,
// requests/s, overhead versus direct in the same round) is aggregated as the median over rounds; stream
// gaps are pooled over every stream of every round; CPU is total CPU time over total requests.
import type { BenchConfig } from "./config";
import { clientLabel, type RawResults } from "./runner";
import { median, summarize } from "./stats";
import { mockLabel, type System, type SystemId } from "./systems";

export interface SequentialRow {
  system: SystemId;
  label: string;
  requests: number;
  failed: number;
  p50: number;
  p90: number;
  p99: number;
  /** System minus direct, same percentile, same round; median over rounds. */
  addedP50: number;
  addedP90: number;
  addedP99: number;
}

export interface ThroughputRow {
  system: SystemId;
  label: string;
  concurrency: number;
  rounds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** The process serving the requests (workerd; Portkey's Node), CPU ms per request. */
  gatewayCpuMsPerRequest: number;
  /** All of the system's own processes (for ours also Miniflare's Node side and the local-stack bridges). */
  allCpuMsPerRequest: number;
}

export interface StreamRow {
  system: SystemId;
  label: string;
  streams: number;
  failed: number;
  ttfbP50: number;
  ttfbP99: number;
  ttfbOverheadP50: number;
  ttfbOverheadP99: number;
  gapP50: number;
  gapP99: number;
  /** |observed gap − configured interval| over all gaps. */
  gapDeviationP99: number;
  gapDeviationMax: number;
  chunkMismatches: number;
  usageMissing: number;
}

export interface CpuRow {
  system: SystemId;
  process: string;
  /** Phase ("sequential", "stream", "c16", ...) → CPU ms per request. */
  msPerRequest: Record<string, number>;
  peakRssMiB: number | undefined;
}

export interface BenchSummary {
  sequential: SequentialRow[];
  throughput: ThroughputRow[];
  streaming: StreamRow[];
  cpu: CpuRow[];
}

function perRoundDelta<T extends { round: number; system: SystemId }>(
  runs: T[],
  system: SystemId,
  value: (run: T) => number,
): number {
  const deltas = runs
    .filter((run) => run.system === system)
    .map((run) => {
      const direct = runs.find((other) => other.system === "direct" && other.round === run.round);
      return direct ? value(run) - value(direct) : Number.NaN;
    });
  return median(deltas);
}

export function aggregate(
  config: BenchConfig,
  systems: System[],
  raw: RawResults,
  peakRss: Record<string, number | undefined>,
): BenchSummary {
  const sequential = systems.map((system): SequentialRow => {
    const runs = raw.sequential.filter((run) => run.system === system.id);
    return {
      system: system.id,
      label: system.label,
      requests: runs.reduce((total, run) => total + run.latency.count + run.failed, 0),
      failed: runs.reduce((total, run) => total + run.failed, 0),
      p50: median(runs.map((run) => run.latency.p50)),
      p90: median(runs.map((run) => run.latency.p90)),
      p99: median(runs.map((run) => run.latency.p99)),
      addedP50: perRoundDelta(raw.sequential, system.id, (run) => run.latency.p50),
      addedP90: perRoundDelta(raw.sequential, system.id, (run) => run.latency.p90),
      addedP99: perRoundDelta(raw.sequential, system.id, (run) => run.latency.p99),
    };
  });

  const cpuOf = (system: System, phase: string, gatewayOnly: boolean) => {
    const tally = raw.cpu[system.id]?.[phase];
    const labels = system.processes.filter((entry) => !gatewayOnly || entry.gateway).map((entry) => entry.label);
    if (!tally || tally.requests === 0 || labels.length === 0) return Number.NaN;
    return labels.reduce((total, label) => total + (tally.cpuMs[label] ?? Number.NaN), 0) / tally.requests;
  };
  const throughput = config.concurrency.flatMap((concurrency) =>
    systems.map((system): ThroughputRow => {
      const runs = raw.throughput.filter((run) => run.system === system.id && run.concurrency === concurrency);
      return {
        system: system.id,
        label: system.label,
        concurrency,
        rounds: runs.length,
        requests: runs.reduce((total, run) => total + run.requests, 0),
        rps: median(runs.map((run) => run.rps)),
        p50: median(runs.map((run) => run.latency.p50)),
        p99: median(runs.map((run) => run.latency.p99)),
        errors: runs.reduce((total, run) => total + run.errors, 0),
        non2xx: runs.reduce((total, run) => total + run.non2xx, 0),
        gatewayCpuMsPerRequest: cpuOf(system, `c${concurrency}`, true),
        allCpuMsPerRequest: cpuOf(system, `c${concurrency}`, false),
      };
    }),
  );

  const streaming = systems.map((system): StreamRow => {
    const runs = raw.streams.filter((run) => run.system === system.id);
    const gaps = runs.flatMap((run) => run.gapsMs);
    const deviations = summarize(gaps.map((gap) => Math.abs(gap - config.chunkIntervalMs)));
    const gapSummary = summarize(gaps);
    return {
      system: system.id,
      label: system.label,
      streams: runs.reduce((total, run) => total + run.ttfb.count + run.failed, 0),
      failed: runs.reduce((total, run) => total + run.failed, 0),
      ttfbP50: median(runs.map((run) => run.ttfb.p50)),
      ttfbP99: median(runs.map((run) => run.ttfb.p99)),
      ttfbOverheadP50: perRoundDelta(raw.streams, system.id, (run) => run.ttfb.p50),
      ttfbOverheadP99: perRoundDelta(raw.streams, system.id, (run) => run.ttfb.p99),
      gapP50: gapSummary.p50,
      gapP99: gapSummary.p99,
      gapDeviationP99: deviations.p99,
      gapDeviationMax: deviations.max,
      chunkMismatches: runs.reduce((total, run) => total + run.chunkMismatches, 0),
      usageMissing: runs.reduce((total, run) => total + run.usageMissing, 0),
    };
  });

  const cpu = systems.flatMap((system) => {
    const phases = raw.cpu[system.id] ?? {};
    const labels = [...system.processes.map((entry) => entry.label), mockLabel, clientLabel];
    return labels.map((label): CpuRow => {
      const msPerRequest: Record<string, number> = {};
      for (const [phase, tally] of Object.entries(phases)) {
        const ms = tally.cpuMs[label];
        msPerRequest[phase] = ms !== undefined && tally.requests > 0 ? ms / tally.requests : Number.NaN;
      }
      return { system: system.id, process: label, msPerRequest, peakRssMiB: peakRss[label] };
    });
  });

  return { sequential, throughput, streaming, cpu };
}
