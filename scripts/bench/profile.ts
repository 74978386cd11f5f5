// `npm run bench:profile`: a V8 CPU profile of our Worker (workerd) while it serves sequential
// non-streaming requests, as the benchmark sends them. Prints the functions with the most self time and
// writes bench-results/worker.cpuprofile (open it in Chrome DevTools' Performance panel).
//   BENCH_PROFILE_REQUESTS (2000)   BENCH_DATABASE_URL / BENCH_REDIS_URL as for `npm run bench`
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WebSocket } from "ws";
import { readConfig } from "./config";
import { freePort, startSystems } from "./systems";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

function inspect(url: string) {
  const socket = new WebSocket(url);
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.on("message", (data: Buffer) => {
    const message = JSON.parse(data.toString("utf8")) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return {
    opened,
    send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    close: () => socket.close(),
  };
}

function topSelfTime(profile: Profile, limit: number): string[] {
  const sampleCount = profile.samples?.length ?? 0;
  const msPerSample = sampleCount > 0 ? (profile.endTime - profile.startTime) / 1000 / sampleCount : 0;
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"} ${url.split("/").at(-1) ?? ""}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(
      ([name, hits]) =>
        `${((hits / Math.max(1, sampleCount)) * 100).toFixed(1).padStart(5)}%  ${(hits * msPerSample).toFixed(1).padStart(8)} ms  ${name}`,
    );
}

async function main(): Promise<void> {
  const inspectorPort = await freePort();
  process.env.BENCH_INSPECTOR_PORT = String(inspectorPort);
  const config = readConfig();
  const systems = await startSystems(config);
  try {
    const ours = systems.list.find((system) => system.id === "ours");
    if (!ours) throw new Error("our gateway did not start");
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
      webSocketDebuggerUrl: string;
      title: string;
    }[];
    const target = targets.find((entry) => !entry.title.startsWith("core:")) ?? targets[0];
    if (!target) throw new Error("no inspector target");
    const inspector = inspect(target.webSocketDebuggerUrl);
    await inspector.opened;
    const body = JSON.stringify({ model: ours.model, messages: [{ role: "user", content: "Hi" }] });
    const call = () =>
      fetch(ours.url, { method: "POST", headers: { ...ours.headers, "content-type": "application/json" }, body }).then(
        (response) => response.text(),
      );
    for (let warm = 0; warm < 100; warm++) await call();
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.setSamplingInterval", { interval: 100 });
    await inspector.send("Profiler.start");
    const requests = Number(process.env.BENCH_PROFILE_REQUESTS ?? 2000);
    const started = performance.now();
    for (let index = 0; index < requests; index++) await call();
    const elapsed = performance.now() - started;
    const { profile } = (await inspector.send("Profiler.stop")) as { profile: Profile };
    inspector.close();
    mkdirSync(config.outDir, { recursive: true });
    writeFileSync(join(config.outDir, "worker.cpuprofile"), JSON.stringify(profile));
    process.stdout.write(
      `${requests} sequential requests in ${elapsed.toFixed(0)} ms (${(elapsed / requests).toFixed(2)} ms each)\n`,
    );
    process.stdout.write(`Top self time in the Worker:\n${topSelfTime(profile, 40).join("\n")}\n`);
  } finally {
    await systems.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
