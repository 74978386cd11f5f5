// Renders the summary twice from the same rows: aligned text for the terminal and a Markdown section
// for the README.
import type { BenchSummary } from "./aggregate";
import type { BenchConfig } from "./config";
import type { RunEnvironment } from "./environment";

export interface ReportContext {
  config: BenchConfig;
  env: RunEnvironment;
  /** One line each: how every system was run. */
  setup: string[];
  /** Findings worth reading next to the numbers (failures, missing billing rows, ...). */
  notes: string[];
}

type Cell = string | number;

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "–");
const signed = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? "+" : ""}${value.toFixed(2)}` : "–");
const cpu = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value.toFixed(3) : "–");
const integer = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "–");

function renderTable(headers: string[], rows: Cell[][], markdown: boolean): string {
  const text = rows.map((row) => row.map(String));
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    const rule = headers.map((_, index) => (index === 0 ? "---" : "---:"));
    return [line(headers), line(rule), ...text.map(line)].join("\n");
  }
  const widths = headers.map((header, index) => Math.max(header.length, ...text.map((row) => row[index]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
      .join("  ");
  return [line(headers), widths.map((width) => "-".repeat(width)).join("  "), ...text.map(line)].join("\n");
}

interface Section {
  title: string;
  headers: string[];
  rows: Cell[][];
}

function sections(summary: BenchSummary, config: BenchConfig): Section[] {
  const phases = ["sequential", "stream", ...config.concurrency.map((level) => `c${level}`)];
  return [
    {
      title: `Sequential latency, ms (${config.sequential} requests per system per round, ${config.rounds} rounds, median of per-round percentiles; "added" = system minus direct in the same round)`,
      headers: ["system", "p50", "p90", "p99", "added p50", "added p90", "added p99", "failed"],
      rows: summary.sequential.map((row) => [
        row.label,
        ms(row.p50),
        ms(row.p90),
        ms(row.p99),
        row.system === "direct" ? "" : signed(row.addedP50),
        row.system === "direct" ? "" : signed(row.addedP90),
        row.system === "direct" ? "" : signed(row.addedP99),
        row.failed,
      ]),
    },
    {
      title: `Throughput (autocannon, ${config.durationSeconds} s per level, ${config.throughputRounds} rounds, median req/s and latency; CPU ms/req: gateway = the serving process (workerd, Portkey's Node), all = with helpers)`,
      headers: ["system", "connections", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "CPU gateway", "CPU all"],
      rows: summary.throughput.map((row) => [
        row.label,
        row.concurrency,
        integer(row.rps),
        ms(row.p50),
        ms(row.p99),
        row.errors,
        row.non2xx,
        cpu(row.gatewayCpuMsPerRequest),
        cpu(row.allCpuMsPerRequest),
      ]),
    },
    {
      title: `Streaming (${config.streams} streams per system per round, ${config.streamConcurrency} at a time; the mock sends ${config.streamChunks} chunks ${config.chunkIntervalMs} ms apart; TTFB = first chunk; gap = between chunks as the client saw them; dev = distance of a gap from ${config.chunkIntervalMs} ms; ms)`,
      headers: [
        "system",
        "TTFB p50",
        "TTFB p99",
        "added p50",
        "added p99",
        "gap p50",
        "gap p99",
        "dev p99",
        "dev max",
        "chunk mismatch",
        "failed",
      ],
      rows: summary.streaming.map((row) => [
        row.label,
        ms(row.ttfbP50),
        ms(row.ttfbP99),
        row.system === "direct" ? "" : signed(row.ttfbOverheadP50),
        row.system === "direct" ? "" : signed(row.ttfbOverheadP99),
        ms(row.gapP50),
        ms(row.gapP99),
        ms(row.gapDeviationP99),
        ms(row.gapDeviationMax),
        row.chunkMismatches,
        row.failed,
      ]),
    },
    {
      title: "CPU time per request (ms) by process and phase, and peak RSS (VmHWM)",
      headers: ["system", "process", ...phases, "peak RSS MiB"],
      rows: summary.cpu.map((row) => [
        row.system,
        row.process,
        ...phases.map((phase) => cpu(row.msPerRequest[phase])),
        row.peakRssMiB === undefined ? "–" : row.peakRssMiB.toFixed(0),
      ]),
    },
  ];
}

function header(context: ReportContext): string[] {
  const { env } = context;
  const { machine, versions } = env;
  const dirty = versions.uncommittedSrcFiles > 0 ? ` + ${versions.uncommittedSrcFiles} uncommitted src/ files` : "";
  return [
    `Date: ${env.date}`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, Node ${machine.node}, ${machine.os}`,
    `Command: ${env.command}`,
    `Versions: gateway ${versions.gitCommit}${dirty}; Portkey gateway ${versions.portkeyGateway}; workerd ${versions.workerd} via Miniflare ${versions.miniflare}; wrangler ${versions.wrangler} (bundling); autocannon ${versions.autocannon}`,
  ];
}

export function textReport(summary: BenchSummary, context: ReportContext): string {
  const parts = [...header(context), ...context.setup.map((line) => `  ${line}`), ""];
  for (const section of sections(summary, context.config)) {
    parts.push(section.title, renderTable(section.headers, section.rows, false), "");
  }
  // A note starting with two spaces details the one before it.
  const noteLine = (note: string) => (note.startsWith("  ") ? `      ${note.trim()}` : `  - ${note}`);
  if (context.notes.length > 0) parts.push("Notes:", ...context.notes.map(noteLine));
  return parts.join("\n");
}

export function markdownReport(summary: BenchSummary, context: ReportContext): string {
  const parts = [
    `### Gateway benchmark (${context.env.date.slice(0, 10)})`,
    "",
    ...header(context).map((line) => `- ${line.replace(/^Command: (.*)$/, "Command: `$1`")}`),
    ...context.setup.map((line) => `- ${line}`),
    "",
  ];
  for (const section of sections(summary, context.config)) {
    parts.push(`#### ${section.title}`, "", renderTable(section.headers, section.rows, true), "");
  }
  const noteLine = (note: string) => (note.startsWith("  ") ? `  - ${note.trim()}` : `- ${note}`);
  if (context.notes.length > 0) parts.push("Notes:", "", ...context.notes.map(noteLine), "");
  return parts.join("\n");
}
