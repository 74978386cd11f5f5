// Runner side of ipc.ts: fork a TypeScript child (through tsx), wait for its "ready", make requests,
// and stop it. Also plain spawned servers (Portkey) with an HTTP readiness probe.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { request } from "node:http";
import { isChildMessage, type ParentMessage } from "./ipc";

export interface Child<Ready> {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly ready: Ready;
  request<T>(name: string): Promise<T>;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Asks politely (IPC "stop" or SIGTERM), then SIGKILL after the grace period. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: "stop" } satisfies ParentMessage);
  else child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/**
 * Forks `script` with tsx, passes `env`, and resolves once it reports ready. The ready value's type is
 * the child's contract (both sides are this directory's code), hence the one cast.
 */
export function forkChild<Ready>(
  name: string,
  script: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<Child<Ready>> {
  const child = fork(script, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during startup (code ${code}, signal ${signal})`));
      for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited`));
    });
    child.on("message", (message: unknown) => {
      if (!isChildMessage(message)) return;
      if (message.type === "failed") {
        clearTimeout(timer);
        reject(new Error(`${name} failed to start:\n${message.error}`));
      } else if (message.type === "reply") {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(new Error(`${name}: ${message.error}`));
      } else if (message.type === "ready") {
        clearTimeout(timer);
        resolve({
          name,
          process: child,
          pid: child.pid ?? -1,
          ready: message.value as Ready,
          request: <T>(requestName: string) =>
            new Promise<T>((resolveReply, rejectReply) => {
              const id = nextId++;
              pending.set(id, { resolve: (value) => resolveReply(value as T), reject: rejectReply });
              child.send({ type: "request", id, name: requestName } satisfies ParentMessage);
            }),
          stop: () => stopProcess(child),
        });
      }
    });
  });
}

/** Resolves once `url` answers HTTP at all (any status). */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    const answered = await new Promise<boolean>((resolve) => {
      const probe = request(url, { method: "GET", timeout: 1_000 }, (res) => {
        res.resume();
        resolve(true);
      });
      probe.on("error", () => resolve(false));
      probe.on("timeout", () => probe.destroy());
      probe.end();
    });
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** A plain server process (not ours to fork with IPC); stderr is kept (last 64 KiB) for the report. */
export function spawnServer(
  command: string,
  args: string[],
  env: Record<string, string>,
): { process: ChildProcess; stderr: () => string } {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderr = (stderr + text).slice(-65_536);
  });
  return { process: child, stderr: () => stderr };
}
