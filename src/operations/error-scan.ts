// One scan of the error monitor: ingest new error lines from Grafana Loki (when LOKI_URL is set) as
// error events, aggregate the window's patterns from error_events, optionally start fix suggestions
// for fixable patterns, and remember the result in operation_settings.
import { countPatterns, type ErrorPattern, findPatterns, type NewErrorEvent } from "../db/error-events";
import { fingerprintsFixedSince } from "../db/error-fixes";
import { ingestAfterCursor, type ScanSummary, saveScan } from "../db/error-monitor-state";
import type { Config } from "../env";
import { classifyMessage, errorText, fixableCategories, scrubSecrets } from "./error-classify";
import { buildErrorEvent, configuredSecrets, recordErrorEvents } from "./error-events";
import { generateFix, type OperationsDeps, requireFixModel } from "./fix-generator";
import { type LokiEntry, lokiEnabled, queryLoki } from "./loki";

/** Lines read from Loki per scan (newest first); the cursor skips what an earlier scan ingested. */
const LOKI_SCAN_LIMIT = 500;
/** Fix suggestions one scan may start (each is two billed model calls). */
const AUTO_FIX_LIMIT = 3;
/** A pattern that got a suggestion this recently is not suggested again by auto-fix. */
const AUTO_FIX_COOLDOWN_MS = 24 * 3600_000;

/** LOKI_QUERY narrowed to error lines (the seed asked for {level="ERROR"}). */
export function lokiErrorQuery(config: Pick<Config, "LOKI_QUERY">): string {
  return `${config.LOKI_QUERY} |~ "(?i)(error|exception|fatal|panic)"`;
}

const quiet = /^(debug|info|notice|warn|warning|trace)$/i;

/** A Loki line as an event: JSON lines give their msg/error fields and level; others count whole. */
function eventInputOf(entry: LokiEntry) {
  let message = entry.line;
  let level = entry.labels.level;
  try {
    const parsed: unknown = JSON.parse(entry.line);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      const fields = Object.fromEntries(Object.entries(parsed));
      const parts = [fields.msg, fields.message, fields.error].filter((part) => typeof part === "string");
      if (parts.length > 0) message = parts.join(": ");
      if (typeof fields.level === "string") level = fields.level;
    }
  } catch {
    // A plain-text line is its own message.
  }
  if (level && quiet.test(level)) return undefined;
  const app = entry.labels.app ?? entry.labels.job ?? entry.labels.service_name ?? "unknown";
  return {
    ...classifyMessage(message),
    source: "loki" as const,
    message,
    route: `loki:${app}`,
    createdAt: entry.timestamp,
    details: { labels: entry.labels, level: level ?? null, error_type: "LogLine" },
  };
}

async function ingestLoki(deps: OperationsDeps, since: Date, now: Date): Promise<ScanSummary["loki"]> {
  if (!lokiEnabled(deps.config)) return { enabled: false, fetched: 0, ingested: 0, error: null };
  try {
    const entries = await queryLoki(deps.config, {
      query: lokiErrorQuery(deps.config),
      start: since,
      end: now,
      limit: LOKI_SCAN_LIMIT,
      direction: "backward",
    });
    const secrets = configuredSecrets(deps.env);
    const events: { timestampNs: string; event: NewErrorEvent }[] = [];
    for (const entry of entries) {
      const input = eventInputOf(entry);
      if (input) events.push({ timestampNs: entry.timestampNs, event: await buildErrorEvent(input, secrets) });
    }
    const ingested = await ingestAfterCursor(deps.db(), events);
    return { enabled: true, fetched: entries.length, ingested, error: null };
  } catch (error) {
    const message = errorText(error);
    await recordErrorEvents(deps.sql, deps.env, [
      { category: "EXTERNAL_SERVICE_ERROR", severity: "medium", source: "monitor", message, route: "loki query_range" },
    ]);
    return {
      enabled: true,
      fetched: 0,
      ingested: 0,
      error: scrubSecrets(message, configuredSecrets(deps.env)).slice(0, 300),
    };
  }
}

/** Fixable patterns of the window without a recent suggestion, most severe first. */
async function autoFixTargets(deps: OperationsDeps, since: Date, now: Date): Promise<ErrorPattern[]> {
  const db = deps.sql();
  const [candidates, recent] = await Promise.all([
    findPatterns(db, { since, categories: fixableCategories }, { limit: 50, offset: 0, order: "severity" }),
    fingerprintsFixedSince(db, new Date(now.getTime() - AUTO_FIX_COOLDOWN_MS)),
  ]);
  return candidates.filter((pattern) => !recent.has(pattern.fingerprint)).slice(0, AUTO_FIX_LIMIT);
}

export interface ScanOptions {
  hours: number;
  autoFix: boolean;
  trigger: ScanSummary["trigger"];
}

export interface ScanResult {
  summary: ScanSummary;
  topPatterns: ErrorPattern[];
}

export async function runScan(deps: OperationsDeps, options: ScanOptions): Promise<ScanResult> {
  // Checked first: an auto-fix that cannot run must say so before any work is done.
  if (options.autoFix) requireFixModel(deps.config);
  const now = new Date();
  const since = new Date(now.getTime() - options.hours * 3600_000);
  const loki = await ingestLoki(deps, since, now);
  const db = deps.sql();
  const [all, critical, fixable, topPatterns] = await Promise.all([
    countPatterns(db, { since }),
    countPatterns(db, { since, severities: ["critical", "high"] }),
    countPatterns(db, { since, categories: fixableCategories }),
    findPatterns(db, { since }, { limit: 10, offset: 0, order: "count" }),
  ]);
  let targets: ErrorPattern[] = [];
  if (options.autoFix) {
    targets = await autoFixTargets(deps, since, now);
    // One after another, in the background (seed: create_prs=True for automatic fixes).
    const work = (async () => {
      for (const pattern of targets) {
        try {
          await generateFix(deps, pattern, { createPr: true });
        } catch (error) {
          console.error(
            JSON.stringify({ msg: "auto-fix failed", fingerprint: pattern.fingerprint, error: errorText(error) }),
          );
        }
      }
    })();
    deps.defer(work);
  }
  const summary: ScanSummary = {
    hours: options.hours,
    errors_found: all.events,
    patterns_found: all.patterns,
    critical_errors: critical.patterns,
    fixable_errors: fixable.patterns,
    loki,
    auto_fixes_started: targets.length,
    auto_fix_targets: targets.map((pattern) => pattern.fingerprint),
    trigger: options.trigger,
  };
  await saveScan(db, now, summary);
  return { summary, topPatterns };
}
