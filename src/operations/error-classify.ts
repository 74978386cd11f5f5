// Pure helpers of the error events: the seed's classification and fixability rules (001 L9054-9077),
// message normalisation, the fingerprint, and the scrubbing that keeps secrets out of every event.
import type { errorCategories, errorSeverities } from "../db/schema";
import { sha256Hex } from "../lib/crypto";
import { providers } from "../providers/registry";

export type ErrorCategory = (typeof errorCategories)[number];
export type ErrorSeverity = (typeof errorSeverities)[number];

export interface Classification {
  category: ErrorCategory;
  severity: ErrorSeverity;
}

let providerPattern: RegExp | undefined;

/** Every provider the gateway knows, plus the seed's gateways, as whole words (built on first use). */
function mentionsProvider(text: string): boolean {
  providerPattern ??= new RegExp(
    `\\b(${[...Object.keys(providers), "portkey", "featherless", "chutes"]
      .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|")})\\b`,
    "i",
  );
  return providerPattern.test(text);
}

/** The seed's rules, first match wins (001 L9054-9066). */
export function classifyMessage(message: string): Classification {
  const text = message.toLowerCase();
  const provider = mentionsProvider(text);
  if (provider && /timeout|timed out|\b503\b|\b504\b/.test(text))
    return { category: "PROVIDER_ERROR", severity: "high" };
  if (provider && /\b401\b|\b403\b/.test(text)) return { category: "AUTH_ERROR", severity: "high" };
  if (provider) return { category: "PROVIDER_ERROR", severity: "medium" };
  if (/supabase|postgres|database|connection pool/.test(text))
    return { category: "DATABASE_ERROR", severity: "critical" };
  if (/rate limit|rate-limit|\b429\b/.test(text)) return { category: "RATE_LIMIT_ERROR", severity: "medium" };
  if (/unauthorized|invalid api key|\b401\b/.test(text)) return { category: "AUTH_ERROR", severity: "high" };
  if (/timeout|timed out|deadlineexceeded/.test(text)) return { category: "TIMEOUT_ERROR", severity: "medium" };
  if (/validation|invalid/.test(text)) return { category: "VALIDATION_ERROR", severity: "low" };
  if (/redis|upstash|cache/.test(text)) return { category: "CACHE_ERROR", severity: "medium" };
  if (/stripe|resend|email|payment/.test(text)) return { category: "EXTERNAL_SERVICE_ERROR", severity: "high" };
  return { category: "INTERNAL_ERROR", severity: "medium" };
}

/**
 * An upstream attempt that failed, by what we know for sure (the status), in the seed's terms:
 * provider + 401/403 → AUTH/high, 429 → RATE_LIMIT/medium, our own timer → TIMEOUT/high (the seed's
 * "provider + timeout" severity), 502/503/504 → PROVIDER/high, 402 (our vendor account refuses to
 * bill) → PROVIDER/high, any other → PROVIDER/medium.
 */
export function classifyUpstream(status: number, timedOut: boolean): Classification {
  if (timedOut) return { category: "TIMEOUT_ERROR", severity: "high" };
  if (status === 401 || status === 403) return { category: "AUTH_ERROR", severity: "high" };
  if (status === 429) return { category: "RATE_LIMIT_ERROR", severity: "medium" };
  if (status === 402 || status === 502 || status === 503 || status === 504) {
    return { category: "PROVIDER_ERROR", severity: "high" };
  }
  return { category: "PROVIDER_ERROR", severity: "medium" };
}

/** Categories the seed calls fixable (001 L9067-9077); the rest need a human. */
export const fixableCategories: readonly ErrorCategory[] = [
  "RATE_LIMIT_ERROR",
  "TIMEOUT_ERROR",
  "CACHE_ERROR",
  "DATABASE_ERROR",
  "AUTH_ERROR",
];

export function fixabilityOf(
  category: ErrorCategory,
  message: string,
): { fixable: boolean; suggestedFix: string | null } {
  const text = message.toLowerCase();
  switch (category) {
    case "RATE_LIMIT_ERROR":
      return { fixable: true, suggestedFix: "Implement exponential backoff and request queuing" };
    case "TIMEOUT_ERROR":
      return mentionsProvider(text) || text.includes("provider")
        ? { fixable: true, suggestedFix: "Add retry logic with exponential backoff for provider calls" }
        : { fixable: true, suggestedFix: "Increase timeout threshold or add connection pooling" };
    case "CACHE_ERROR":
      return { fixable: true, suggestedFix: "Implement cache fallback to database queries" };
    case "DATABASE_ERROR":
      return text.includes("pool")
        ? { fixable: true, suggestedFix: "Increase connection pool size or add fallback" }
        : { fixable: true, suggestedFix: "Add database connection retry logic" };
    case "AUTH_ERROR":
      return /invalid (api )?key|credentials|\b401\b/.test(text)
        ? { fixable: true, suggestedFix: "Rotate API keys and update configuration" }
        : { fixable: true, suggestedFix: "Implement token refresh logic" };
    default:
      return { fixable: false, suggestedFix: null };
  }
}

/** Highest first; the order the critical and fixable lists sort by. */
export const severityRank: Record<ErrorSeverity, number> = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };

/** Secrets that may never reach an event, a log line sent to the monitor, or Sentry. */
const secretPatterns: [RegExp, string][] = [
  [/\bgw_(live|test|admin)_[0-9A-Za-z]{8,}/g, "gw_$1_[redacted]"],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted]"],
  [/\b(sk|pk|rk)-(ant-|proj-|or-)?[A-Za-z0-9_-]{12,}/g, "$1-[redacted]"],
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}/g, "$1[redacted]"],
  [
    /\b(authorization|x-api-key|api[_-]?key|token|password|secret)(["']?\s*[:=]\s*["']?)[^\s"',;&]{4,}/gi,
    "$1$2[redacted]",
  ],
  // Drizzle's "Failed query" messages carry the statement's parameters (emails, hashes, amounts).
  [/\nparams: [\s\S]*$/, "\nparams: [redacted]"],
];

/** Removes keys, tokens and query parameters from a text; `extra` are exact secrets to drop too. */
export function scrubSecrets(text: string, extra: readonly string[] = []): string {
  let result = text;
  for (const secret of extra) {
    if (secret.length >= 8) result = result.split(secret).join("[redacted]");
  }
  for (const [pattern, replacement] of secretPatterns) result = result.replace(pattern, replacement);
  return result;
}

/**
 * The message with what varies between occurrences replaced: uuids, long hex, quoted strings,
 * tokens with digits (ids) and numbers. Lower-cased, whitespace collapsed.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b(0x)?[0-9a-f]{12,}\b/gi, "<hex>")
    .replace(/"[^"\n]*"|'[^'\n]*'|`[^`\n]*`/g, "<str>")
    .replace(/\b\d+(\.\d+)?\b/g, "<n>")
    .replace(/\b[\w.-]*\d[\w.-]*\b/g, "<id>")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase()
    .slice(0, 500);
}

/** sha256 of category, source, where (route or provider) and the normalised message; 24 hex digits. */
export async function fingerprintOf(
  category: ErrorCategory,
  source: string,
  where: string | null,
  message: string,
): Promise<string> {
  const digest = await sha256Hex([category, source, where ?? "", normalizeMessage(message)].join("\n"));
  return digest.slice(0, 24);
}

/** The text of any thrown value, `Name: message` for errors. */
export function errorText(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
