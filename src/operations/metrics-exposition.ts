// Prometheus text exposition format 0.0.4: one HELP and TYPE line per family, then its samples.
// Values are written as given (strings stay exact: costs come from decimal strings, never float sums).

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type Labels = Record<string, string>;
export type MetricType = "counter" | "gauge" | "histogram";

/** Label values escape backslash, double quote and newline; HELP text escapes backslash and newline. */
const labelValue = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const helpText = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function labelSet(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([name, value]) => `${name}="${labelValue(value)}"`).join(",")}}`;
}

/** Milliseconds as seconds, exactly (integer ms → a decimal with at most 3 places). */
export function secondsOfMs(ms: number): string {
  if (!Number.isInteger(ms)) return String(ms / 1000);
  const negative = ms < 0;
  const magnitude = Math.abs(ms);
  const whole = Math.floor(magnitude / 1000);
  const fraction = String(magnitude % 1000)
    .padStart(3, "0")
    .replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** A decimal string without trailing zeros ("0.001000000" → "0.001", "5.000000000" → "5"). */
export function trimDecimal(value: string): string {
  if (!value.includes(".")) return value;
  return value.replace(/0+$/, "").replace(/\.$/, "");
}

export class Exposition {
  private readonly lines: string[] = [];
  private readonly declared = new Set<string>();

  /** Declares a family once; its samples must follow before the next family is declared. */
  family(name: string, type: MetricType, help: string): this {
    if (this.declared.has(name)) throw new Error(`metric family ${name} declared twice`);
    this.declared.add(name);
    this.lines.push(`# HELP ${name} ${helpText(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, labels: Labels, value: number | string): this {
    this.lines.push(`${name}${labelSet(labels)} ${typeof value === "number" ? formatNumber(value) : value}`);
    return this;
  }

  /** A histogram's series: cumulative buckets (bounds in ms, written as seconds), +Inf, sum, count. */
  histogram(
    name: string,
    labels: Labels,
    boundsMs: number[],
    sums: { count: number; sumMs: number; buckets: number[] },
  ): this {
    boundsMs.forEach((bound, index) => {
      this.sample(`${name}_bucket`, { ...labels, le: secondsOfMs(bound) }, sums.buckets[index] ?? 0);
    });
    this.sample(`${name}_bucket`, { ...labels, le: "+Inf" }, sums.count);
    this.sample(`${name}_sum`, labels, secondsOfMs(sums.sumMs));
    this.sample(`${name}_count`, labels, sums.count);
    return this;
  }

  text(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}
