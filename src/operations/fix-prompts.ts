// What the fix-suggestion model is asked (seed: an analysis, then a fix as JSON) and how its answer is
// read. The pattern's texts were scrubbed when recorded; they are capped again here.
import type { ErrorPattern } from "../db/error-events";

/** Seed caps (001 L9826). */
const MAX_PROMPT_LENGTH = 50_000;
const MAX_ERROR_MESSAGE_LENGTH = 10_000;
const MAX_FILES = 10;
const MAX_FILE_LENGTH = 200_000;

const system = [
  "You are a senior engineer on an OpenAI/Anthropic-compatible LLM gateway written in TypeScript for",
  "Cloudflare Workers (Hono, Drizzle over Neon Postgres, Upstash Redis, Durable Objects).",
  "You are shown a recurring production error pattern recorded by the gateway.",
].join(" ");

function describe(pattern: ErrorPattern): string {
  const lines = [
    `Category: ${pattern.category}`,
    `Severity: ${pattern.severity}`,
    `Source: ${pattern.source}`,
    pattern.route ? `Route: ${pattern.route}` : null,
    pattern.provider ? `Provider: ${pattern.provider}${pattern.model ? ` (model ${pattern.model})` : ""}` : null,
    pattern.statusCode !== null ? `HTTP status: ${pattern.statusCode}` : null,
    `Occurrences: ${pattern.count} between ${pattern.firstSeen.toISOString()} and ${pattern.lastSeen.toISOString()}`,
    pattern.errorType ? `Error type: ${pattern.errorType}` : null,
    `Message: ${pattern.message.slice(0, MAX_ERROR_MESSAGE_LENGTH)}`,
    pattern.examples.length > 1
      ? `Other messages: ${pattern.examples.join(" | ").slice(0, MAX_ERROR_MESSAGE_LENGTH)}`
      : null,
    pattern.stack ? `Stack trace:\n${pattern.stack.slice(0, MAX_ERROR_MESSAGE_LENGTH)}` : null,
  ];
  return lines.filter((line): line is string => line !== null).join("\n");
}

type Message = { role: "system" | "user"; content: string };

export function analysisMessages(pattern: ErrorPattern): Message[] {
  const user = `${describe(pattern)}\n\nExplain the most likely root cause and what to change, in at most 300 words.`;
  return [
    { role: "system", content: system },
    { role: "user", content: user.slice(0, MAX_PROMPT_LENGTH) },
  ];
}

export function fixMessages(pattern: ErrorPattern, analysis: string): Message[] {
  const user = [
    describe(pattern),
    `\nAnalysis:\n${analysis.slice(0, MAX_ERROR_MESSAGE_LENGTH)}`,
    "\nPropose a fix. Answer with one JSON object only:",
    '{"proposed_fix": "<what to change and why>", "files_affected": ["<path>"],',
    '"code_changes": {"<path relative to the repository root>": "<the full new content of that file>"}}',
    "Leave code_changes empty when you cannot name the exact file.",
  ].join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user.slice(0, MAX_PROMPT_LENGTH) },
  ];
}

export interface ParsedFix {
  proposedFix: string;
  codeChanges: Record<string, string>;
  filesAffected: string[];
}

/** A repository-relative path a pull request may touch (no escapes, no git or CI internals). */
export function safeRepoPath(path: string): boolean {
  return (
    /^[\w.-]+(\/[\w.-]+)*$/.test(path) &&
    !path.split("/").some((part) => part === ".." || part === ".") &&
    !path.startsWith(".git/") &&
    !path.startsWith(".github/")
  );
}

function jsonObjectIn(text: string): Record<string, unknown> | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidate = fenced ?? text;
  const start = candidate.indexOf("{");
  const end = candidate.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed: unknown = JSON.parse(candidate.slice(start, end + 1));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed))
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the model's answer leniently: the JSON it was asked for, or else its prose as the proposed
 * fix with no code changes. Unsafe paths and oversized files are dropped.
 */
export function parseFixAnswer(text: string): ParsedFix {
  const json = jsonObjectIn(text);
  if (!json) return { proposedFix: text.trim(), codeChanges: {}, filesAffected: [] };
  const codeChanges: Record<string, string> = {};
  const changes = json.code_changes;
  if (typeof changes === "object" && changes !== null && !Array.isArray(changes)) {
    for (const [path, content] of Object.entries(changes)) {
      if (Object.keys(codeChanges).length >= MAX_FILES) break;
      if (typeof content === "string" && content.length <= MAX_FILE_LENGTH && safeRepoPath(path))
        codeChanges[path] = content;
    }
  }
  const listed = Array.isArray(json.files_affected)
    ? json.files_affected.filter((path): path is string => typeof path === "string" && safeRepoPath(path))
    : [];
  const filesAffected = [...new Set([...listed, ...Object.keys(codeChanges)])].slice(0, 50);
  const proposed = typeof json.proposed_fix === "string" ? json.proposed_fix.trim() : text.trim();
  return { proposedFix: proposed, codeChanges, filesAffected };
}

/** The note every fix pull request carries: the pattern, the analysis and the proposal. */
export function fixNote(pattern: ErrorPattern, analysis: string, fix: ParsedFix, model: string): string {
  return [
    `# Error fix suggestion: ${pattern.category} (${pattern.severity})`,
    "",
    `Fingerprint \`${pattern.fingerprint}\`, ${pattern.count} occurrences, last seen ${pattern.lastSeen.toISOString()}.`,
    `Suggested by \`${model}\` through the gateway's own pipeline; review before merging.`,
    "",
    "## Error",
    "",
    "```",
    describe(pattern),
    "```",
    "",
    "## Analysis",
    "",
    analysis.trim(),
    "",
    "## Proposed fix",
    "",
    fix.proposedFix,
    "",
  ].join("\n");
}
