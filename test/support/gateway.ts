// Calls into the real Worker (same isolate as the test) through its default export.
import { exports } from "cloudflare:workers";

export const origin = "http://gateway.test";

/**
 * A client IP no other call uses, in this run or an earlier one (real Redis keeps per-IP counters
 * for an hour), so per-IP limits of one test never leak into another.
 */
export function uniqueIp(): string {
  const groups = Array.from(crypto.getRandomValues(new Uint16Array(6)), (value) => value.toString(16));
  return `2001:db8:${groups.join(":")}`;
}

export interface CallOptions {
  method?: string;
  key?: string;
  /** Send the key as Anthropic's x-api-key instead of Bearer. */
  keyHeader?: "authorization" | "x-api-key";
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.key) {
    if (options.keyHeader === "x-api-key") headers.set("x-api-key", options.key);
    else headers.set("authorization", `Bearer ${options.key}`);
  }
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.json);
  }
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", uniqueIp());
  return exports.default.fetch(new Request(`${origin}${path}`, { method: options.method ?? "GET", headers, body }));
}

export interface ErrorEnvelope {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** Asserts nothing itself: returns the parsed envelope for the test to check. */
export async function errorOf(response: Response): Promise<ErrorEnvelope> {
  return (await response.json()) as ErrorEnvelope;
}
