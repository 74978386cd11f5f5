// Grafana Loki's query_range API, shared by the error monitor's scan and the downtime incidents' log
// capture. Keep the signature of `queryLoki` stable: both callers depend on it.
import type { Config } from "../env";

export type LokiConfig = Pick<Config, "LOKI_URL" | "LOKI_USERNAME" | "LOKI_API_KEY">;

export interface LokiQuery {
  /** LogQL, e.g. `{app="edge-llm-gateway"} |~ "error"`. */
  query: string;
  start: Date;
  end: Date;
  /** Most lines returned (Loki's own default is 100). */
  limit?: number;
  /** backward = newest first (the seed's choice). */
  direction?: "backward" | "forward";
  /** Default 10 s (the seed's). */
  timeoutMs?: number;
}

export interface LokiEntry {
  /** Nanoseconds since the epoch, as Loki gives it (exact; a Date loses the nanoseconds). */
  timestampNs: string;
  timestamp: Date;
  line: string;
  /** The stream's labels (app, level, …). */
  labels: Record<string, string>;
}

/** Loki was asked and failed (HTTP error, timeout, unreadable answer). */
export class LokiQueryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "LokiQueryError";
  }
}

export function lokiEnabled(config: LokiConfig): boolean {
  return config.LOKI_URL !== undefined;
}

/** Grafana Cloud takes basic auth (user id + API key); a bare token is sent as a bearer. */
function authorization(config: LokiConfig): string | undefined {
  if (!config.LOKI_API_KEY) return undefined;
  if (config.LOKI_USERNAME) return `Basic ${btoa(`${config.LOKI_USERNAME}:${config.LOKI_API_KEY}`)}`;
  return `Bearer ${config.LOKI_API_KEY}`;
}

const toNs = (date: Date) => `${BigInt(date.getTime()) * 1_000_000n}`;

/** Orders nanosecond timestamps exactly (as BigInt: they exceed a double's precision). */
export function compareNs(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

interface StreamResult {
  stream?: Record<string, string>;
  values?: [string, string][];
}

/**
 * Runs one query_range call. Throws LokiQueryError when Loki is not configured or fails; the entries
 * come back in the requested direction across streams (newest first for backward).
 */
export async function queryLoki(config: LokiConfig, request: LokiQuery): Promise<LokiEntry[]> {
  if (!config.LOKI_URL) throw new LokiQueryError("LOKI_URL is not set");
  const url = new URL(`${config.LOKI_URL.replace(/\/+$/, "")}/loki/api/v1/query_range`);
  const direction = request.direction ?? "backward";
  url.searchParams.set("query", request.query);
  url.searchParams.set("start", toNs(request.start));
  url.searchParams.set("end", toNs(request.end));
  url.searchParams.set("limit", String(request.limit ?? 100));
  url.searchParams.set("direction", direction);
  const headers: Record<string, string> = { accept: "application/json" };
  const auth = authorization(config);
  if (auth) headers.authorization = auth;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(request.timeoutMs ?? 10_000) });
  } catch (error) {
    throw new LokiQueryError(`Loki query_range failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => "")).slice(0, 300);
    throw new LokiQueryError(`Loki query_range answered HTTP ${response.status}: ${text}`, response.status);
  }
  let body: { status?: string; data?: { resultType?: string; result?: StreamResult[] } };
  try {
    body = await response.json();
  } catch {
    throw new LokiQueryError("Loki query_range sent an unreadable response");
  }
  const entries: LokiEntry[] = [];
  for (const stream of body.data?.result ?? []) {
    for (const value of stream.values ?? []) {
      const [timestampNs, line] = value;
      if (typeof timestampNs !== "string" || !/^\d{1,30}$/.test(timestampNs) || typeof line !== "string") continue;
      entries.push({
        timestampNs,
        timestamp: new Date(Number(BigInt(timestampNs) / 1_000_000n)),
        line,
        labels: stream.stream ?? {},
      });
    }
  }
  const order = direction === "backward" ? -1 : 1;
  entries.sort((a, b) => order * compareNs(a.timestampNs, b.timestampNs));
  return entries.slice(0, request.limit ?? 100);
}
