// Throughput at a fixed number of concurrent connections, with autocannon's programmatic API. Latency
// percentiles come from each response's own timing (autocannon's histogram rounds to whole ms, too coarse
// next to a sub-millisecond direct call). Failing responses keep their status and the start of their body.
import autocannon from "autocannon";
import type { Failure } from "./http-client";
import { type Summary, summarize } from "./stats";
import type { System } from "./systems";

export interface ThroughputRun {
  requests: number;
  durationSeconds: number;
  rps: number;
  latency: Summary;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  failures: Failure[];
  errorMessages: Record<string, number>;
}

/** Samples kept per run; the counts above are complete. */
const maxFailureSamples = 5;

export function runThroughput(
  system: System,
  body: string,
  connections: number,
  durationSeconds: number,
): Promise<ThroughputRun> {
  const latencies: number[] = [];
  const failures: Failure[] = [];
  const errorMessages: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: system.url,
        method: "POST",
        headers: { ...system.headers, "content-type": "application/json" },
        body,
        connections,
        duration: durationSeconds,
        timeout: 30,
        requests: [
          {
            onResponse: (status: number, responseBody: string) => {
              if ((status < 200 || status >= 300) && failures.length < maxFailureSamples) {
                failures.push({ status, body: responseBody.slice(0, 500) });
              }
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const statusCodes: Record<string, number> = {};
        for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
          statusCodes[code] = Number(stats.count ?? 0);
        }
        const requests = Object.values(statusCodes).reduce((total, count) => total + count, 0);
        resolve({
          requests,
          durationSeconds: result.duration,
          rps: requests / result.duration,
          latency: summarize(latencies),
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          statusCodes,
          failures,
          errorMessages,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
    instance.on("reqError", (error: unknown) => {
      const message = String(error).slice(0, 200);
      errorMessages[message] = (errorMessages[message] ?? 0) + 1;
    });
  });
}
