// Child process: our gateway's production bundle (from `wrangler deploy --dry-run`) served by workerd
// through Miniflare's API, without `wrangler dev` and its proxy in front. Miniflare's Node side lives
// here; workerd is its child process, and that is the process that serves requests. The Worker's log
// lines (warnings and errors only, on the request path) go to a file and are counted by level.
import { createWriteStream, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Log, LogLevel, Miniflare, type WorkerdStructuredLog } from "miniflare";
import { reportStartupFailure, requiredEnv, serveParent } from "./ipc";
import { findDescendants } from "./proc";

/** What the runner reads from wrangler.toml and the build, passed as JSON in BENCH_WORKER_SPEC. */
export interface WorkerSpec {
  name: string;
  bundleDir: string;
  mainModule: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  durableObjects: { binding: string; className: string; sqlite: boolean }[];
  vars: Record<string, string>;
  logFile: string;
}

export interface WorkerReady {
  url: string;
  workerdPid: number | undefined;
  miniflareVersion: string;
  workerdVersion: string;
}

export interface WorkerLogs {
  counts: Record<string, number>;
  /** Distinct warning/error messages (first 200 characters each) with how often each was seen. */
  messages: { level: string; message: string; count: number }[];
}

function packageVersion(require: NodeJS.Require, name: string): string {
  try {
    const { version } = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
      version: string;
    };
    return version;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(requiredEnv("BENCH_WORKER_SPEC")) as WorkerSpec;
  const logFile = createWriteStream(spec.logFile, { flags: "w" });
  const logs: WorkerLogs = { counts: {}, messages: [] };
  const record = (log: WorkerdStructuredLog) => {
    logFile.write(`${new Date(log.timestamp).toISOString()} ${log.level} ${log.message}\n`);
    logs.counts[log.level] = (logs.counts[log.level] ?? 0) + 1;
    // Group repeats of one message: ids, counters and query parameters differ from line to line.
    const message = log.message
      .replace(/req_[0-9a-f]{8,}/g, "req_…")
      .replace(/\d+/g, "#")
      .replace(/\\nparams: .*/s, "")
      .slice(0, 200);
    const seen = logs.messages.find((entry) => entry.level === log.level && entry.message === message);
    if (seen) seen.count += 1;
    else if (logs.messages.length < 50) logs.messages.push({ level: log.level, message, count: 1 });
  };

  const env: Record<
    string,
    { type: "text"; value: string } | { type: "durable-object"; worker: string; exportName: string }
  > = {};
  for (const [name, value] of Object.entries(spec.vars)) env[name] = { type: "text", value };
  const exports: Record<string, { type: "durable-object"; storage: "sqlite" | "legacy-kv" }> = {};
  for (const object of spec.durableObjects) {
    env[object.binding] = { type: "durable-object", worker: spec.name, exportName: object.className };
    exports[object.className] = { type: "durable-object", storage: object.sqlite ? "sqlite" : "legacy-kv" };
  }

  const inspectorPort = Number(process.env.BENCH_INSPECTOR_PORT ?? 0);
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    // `npm run bench:profile` attaches a V8 CPU profiler here.
    ...(inspectorPort > 0 ? { inspectorPort } : {}),
    log: new Log(LogLevel.WARN),
    logRequests: false,
    // No fetch of the real `Request.cf` from workers.cloudflare.com: the placeholder is enough here.
    cf: false,
    enableDevRegistry: false,
    telemetry: { enabled: false },
    handleStructuredLogs: record,
    workers: [
      {
        config: {
          name: spec.name,
          compatibilityDate: spec.compatibilityDate,
          compatibilityFlags: spec.compatibilityFlags,
          manifest: {
            mainModule: spec.mainModule,
            modulesRoot: spec.bundleDir,
            modules: {
              [spec.mainModule]: { type: "esm", contents: readFileSync(join(spec.bundleDir, spec.mainModule), "utf8") },
            },
          },
          env,
          exports,
        },
      },
    ],
  });
  const url = await mf.ready;
  const require = createRequire(import.meta.url);
  const miniflareRequire = createRequire(require.resolve("miniflare"));
  const ready: WorkerReady = {
    url: url.toString().replace(/\/$/, ""),
    workerdPid: findDescendants(process.pid, (command) => /(^|\/)workerd\b/.test(command)).at(0),
    miniflareVersion: packageVersion(require, "miniflare"),
    workerdVersion: packageVersion(miniflareRequire, "workerd"),
  };
  serveParent(ready, {
    handlers: { logs: () => logs },
    stop: async () => {
      await mf.dispose();
      await new Promise<void>((resolve) => logFile.end(() => resolve()));
    },
  });
}

main().catch(reportStartupFailure);
