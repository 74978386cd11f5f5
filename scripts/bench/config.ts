// Bench options, all from the environment (see the usage comment in index.ts). BENCH_QUICK=1 shrinks
// every default so the whole run is a smoke test of a few seconds.

export interface BenchConfig {
  quick: boolean;
  rounds: number;
  /** Sequential non-streaming requests per system per round. */
  sequential: number;
  warmup: number;
  /** Throughput: seconds per concurrency level per system per round, over fewer rounds. */
  durationSeconds: number;
  concurrency: number[];
  throughputRounds: number;
  /** Streams per system per round, `streamConcurrency` at a time. */
  streams: number;
  streamConcurrency: number;
  /** What the mock upstream does. */
  streamChunks: number;
  chunkIntervalMs: number;
  upstreamLatencyMs: number;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  outDir: string;
}

function intFrom(name: string, fallback: number, min: number): number {
  const raw: string | undefined = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function listFrom(name: string, fallback: number[]): number[] {
  const raw: string | undefined = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const values = raw.split(",").map((item: string) => Number(item.trim()));
  if (values.some((value: number) => !Number.isInteger(value) || value < 1)) {
    throw new Error(`${name} must be a comma list of positive integers, got "${raw}"`);
  }
  return values;
}

function optional(name: string): string | undefined {
  const value: string | undefined = process.env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function readConfig(): BenchConfig {
  const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
  const rounds = intFrom("BENCH_ROUNDS", quick ? 1 : 5, 1);
  return {
    quick,
    rounds,
    sequential: intFrom("BENCH_SEQUENTIAL", quick ? 50 : 500, 1),
    warmup: intFrom("BENCH_WARMUP", quick ? 10 : 50, 1),
    durationSeconds: intFrom("BENCH_DURATION_SECONDS", quick ? 1 : 5, 1),
    concurrency: listFrom("BENCH_CONCURRENCY", [1, 16, 64]),
    throughputRounds: intFrom("BENCH_THROUGHPUT_ROUNDS", Math.min(rounds, 3), 1),
    streams: intFrom("BENCH_STREAMS", quick ? 10 : 100, 1),
    streamConcurrency: intFrom("BENCH_STREAM_CONCURRENCY", 10, 1),
    streamChunks: intFrom("BENCH_STREAM_CHUNKS", 20, 2),
    chunkIntervalMs: intFrom("BENCH_CHUNK_INTERVAL_MS", 10, 0),
    upstreamLatencyMs: intFrom("BENCH_UPSTREAM_LATENCY_MS", 0, 0),
    databaseUrl: optional("BENCH_DATABASE_URL"),
    redisUrl: optional("BENCH_REDIS_URL"),
    outDir: optional("BENCH_OUT_DIR") ?? "bench-results",
  };
}

/** A database URL may carry a password, and the command and config are printed and saved: hide it. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}

/** The command line that reproduces this run: the BENCH_* variables that were set, then the script. */
export function commandLine(): string {
  const vars = Object.entries(process.env)
    .filter(([name, value]) => name.startsWith("BENCH_") && value !== undefined && value !== "")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${redactUrl(String(value))}`);
  const script = process.env.npm_lifecycle_event === "bench" ? "npm run bench" : "tsx scripts/bench/index.ts";
  return [...vars, script].join(" ");
}
