// Starts what the bench compares, all on 127.0.0.1: the mock upstream, our gateway (production bundle on
// workerd via Miniflare, in front of the local stack) and Portkey's gateway (its Node server), and says
// how to call each one and which processes do its work.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { type Child, forkChild, spawnServer, stopProcess, waitForHttp } from "./children";
import type { BenchConfig } from "./config";
import { BENCH_MODEL } from "./seed";
import type { StackReady } from "./stack-host";
import type { WorkerLogs, WorkerReady, WorkerSpec } from "./worker-host";

export type SystemId = "direct" | "ours" | "portkey";

export interface TrackedProcess {
  label: string;
  pid: number;
  /** The process that serves the system's requests (workerd, Portkey's Node), as opposed to helpers. */
  gateway?: boolean;
}

export interface System {
  id: SystemId;
  label: string;
  url: string;
  headers: Record<string, string>;
  model: string;
  /** The processes whose CPU is this system's (the mock upstream and the client are reported apart). */
  processes: TrackedProcess[];
}

export interface Systems {
  list: System[];
  mock: TrackedProcess;
  stack: StackReady;
  worker: WorkerReady;
  portkeyVersion: string;
  mockStats(): Promise<{ completions: number; streams: number; bad: number }>;
  settlement(): Promise<{ completed: number; failed: number; chargedUsd: string }>;
  workerLogs(): Promise<WorkerLogs>;
  portkeyStderr(): string;
  stop(): Promise<void>;
}

export const mockLabel = "mock upstream (Node)";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The production bundle, exactly as `wrangler deploy` would upload it (no deploy: --dry-run). */
function buildWorker(outDir: string): void {
  const build = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outDir], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (build.status !== 0) throw new Error(`wrangler build failed:\n${build.stdout}\n${build.stderr}`);
}

/** The parts of wrangler.toml the bench needs (wrangler's published types leave its Config untyped). */
interface WranglerSubset {
  name?: string;
  compatibility_date?: string;
  compatibility_flags: string[];
  durable_objects: { bindings: { name: string; class_name: string }[] };
  migrations: { new_sqlite_classes?: string[] }[];
}

function workerSpec(bundleDir: string, vars: Record<string, string>, logFile: string): WorkerSpec {
  const wrangler: WranglerSubset = unstable_readConfig({ config: "wrangler.toml" });
  const sqliteClasses = new Set(wrangler.migrations.flatMap((migration) => migration.new_sqlite_classes ?? []));
  return {
    name: wrangler.name ?? "gateway",
    bundleDir,
    mainModule: "index.js",
    compatibilityDate: wrangler.compatibility_date ?? "2026-11-01",
    compatibilityFlags: wrangler.compatibility_flags,
    durableObjects: wrangler.durable_objects.bindings.map((binding) => ({
      binding: binding.name,
      className: binding.class_name,
      sqlite: sqliteClasses.has(binding.class_name),
    })),
    vars,
    logFile,
  };
}

export async function startSystems(config: BenchConfig): Promise<Systems> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    cleanups.length = 0;
  };
  try {
    const bundleDir = mkdtempSync(join(tmpdir(), "gateway-bench-"));
    cleanups.push(async () => rmSync(bundleDir, { recursive: true, force: true }));
    process.stdout.write("Building the Worker (wrangler deploy --dry-run)...\n");
    buildWorker(bundleDir);

    process.stdout.write("Starting the mock upstream, the local stack and Portkey...\n");
    const mockEnv = {
      MOCK_LATENCY_MS: String(config.upstreamLatencyMs),
      MOCK_STREAM_CHUNKS: String(config.streamChunks),
      MOCK_CHUNK_INTERVAL_MS: String(config.chunkIntervalMs),
    };
    const portkeyPort = await freePort();
    const portkeyRequire = JSON.parse(
      readFileSync(resolve("node_modules/@portkey-ai/gateway/package.json"), "utf8"),
    ) as { version: string; bin: string };
    const portkey = spawnServer(
      process.execPath,
      [resolve("node_modules/@portkey-ai/gateway", portkeyRequire.bin), `--port=${portkeyPort}`, "--headless"],
      { NODE_ENV: "production" },
    );
    cleanups.push(() => stopProcess(portkey.process));
    const [mock, stack] = await Promise.all([
      forkChild<{ port: number }>("mock upstream", here("./mock-upstream.ts"), mockEnv).then((child) => {
        cleanups.push(() => child.stop());
        return child;
      }),
      forkChild<StackReady>("local stack", here("./stack-host.ts"), {}).then((child) => {
        cleanups.push(() => child.stop());
        return child;
      }),
    ]);
    const upstream = `http://127.0.0.1:${mock.ready.port}/v1`;

    process.stdout.write("Starting our gateway on workerd (Miniflare)...\n");
    const vars = {
      ENVIRONMENT: "production",
      ...stack.ready.vars,
      ADMIN_API_KEY: `bench-admin-${Date.now()}`,
      OPENAI_API_KEY: "bench-key",
      OPENAI_BASE_URL: upstream,
    };
    const logFile = resolve(config.outDir, "gateway.log");
    const worker: Child<WorkerReady> = await forkChild<WorkerReady>("Miniflare host", here("./worker-host.ts"), {
      BENCH_WORKER_SPEC: JSON.stringify(workerSpec(bundleDir, vars, logFile)),
    });
    cleanups.push(() => worker.stop());
    await waitForHttp(`http://127.0.0.1:${portkeyPort}/`, 30_000, portkey.process);

    const ours: TrackedProcess[] = [
      { label: "workerd", pid: worker.ready.workerdPid ?? -1, gateway: true },
      { label: "Miniflare (Node)", pid: worker.pid },
      { label: "local stack bridges (Node)", pid: stack.pid },
    ];
    const list: System[] = [
      {
        id: "direct",
        label: "direct (mock)",
        url: `${upstream}/chat/completions`,
        headers: {},
        model: BENCH_MODEL,
        processes: [],
      },
      {
        id: "ours",
        label: "ours (workerd)",
        url: `${worker.ready.url}/v1/chat/completions`,
        headers: { authorization: `Bearer ${stack.ready.tenant.apiKey}` },
        model: `openai/${BENCH_MODEL}`,
        processes: ours.filter((entry) => entry.pid > 0),
      },
      {
        id: "portkey",
        label: `Portkey ${portkeyRequire.version}`,
        url: `http://127.0.0.1:${portkeyPort}/v1/chat/completions`,
        headers: {
          authorization: "Bearer bench-key",
          "x-portkey-provider": "openai",
          "x-portkey-custom-host": upstream,
        },
        model: BENCH_MODEL,
        processes: [{ label: "Portkey (Node)", pid: portkey.process.pid ?? -1, gateway: true }],
      },
    ];
    return {
      list,
      mock: { label: mockLabel, pid: mock.pid },
      stack: stack.ready,
      worker: worker.ready,
      portkeyVersion: portkeyRequire.version,
      mockStats: () => mock.request("stats"),
      settlement: () => stack.request("settlement"),
      workerLogs: () => worker.request("logs"),
      portkeyStderr: portkey.stderr,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
