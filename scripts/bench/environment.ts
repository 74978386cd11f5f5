// What the numbers were measured on and with: machine, OS, Node, and the exact versions of everything
// compared (our commit, and whether the working tree differed from it, since the bench builds the tree).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, release, totalmem } from "node:os";
import { resolve } from "node:path";

export interface RunEnvironment {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; ramGiB: number; node: string; os: string };
  versions: {
    gitCommit: string;
    /** Files under src/ that differ from the commit (the bench measured the working tree). */
    uncommittedSrcFiles: number;
    portkeyGateway: string;
    miniflare: string;
    workerd: string;
    wrangler: string;
    autocannon: string;
  };
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

function osName(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"));
    return `${match?.[1] ?? "Linux"} (kernel ${release()})`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

export function packageVersion(name: string): string {
  try {
    const file = resolve("node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function describeEnvironment(
  command: string,
  runtime: { miniflare: string; workerd: string; portkey: string },
): RunEnvironment {
  const status = run("git", ["status", "--porcelain", "--", "src"]);
  return {
    date: new Date().toISOString(),
    command,
    machine: {
      cpu: cpus()[0]?.model.trim() ?? "unknown",
      cores: availableParallelism(),
      ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      os: osName(),
    },
    versions: {
      gitCommit: run("git", ["rev-parse", "--short=12", "HEAD"]) || "unknown",
      uncommittedSrcFiles: status === "" ? 0 : status.split("\n").length,
      portkeyGateway: runtime.portkey,
      miniflare: runtime.miniflare,
      workerd: runtime.workerd,
      wrangler: packageVersion("wrangler"),
      autocannon: packageVersion("autocannon"),
    },
  };
}
