// Query and response schemas of the error monitor (seed 001 L8933-10133, with the patterns read from
// error_events instead of an in-memory store).
import { z } from "@hono/zod-openapi";
import { errorCategories, errorSeverities } from "../../db/schema";

export const MAX_PAGE = 1000;

export const hoursQuery = (fallback: number, max: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .openapi({ description: `Look-back window in hours, 1-${max}` });

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(100)
    .openapi({ description: `1-${MAX_PAGE}` }),
  offset: z.coerce.number().int().min(0).default(0),
};

/** A query flag: true/false (also 1/0). */
export const queryFlag = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((value) => value === "true" || value === "1");

export const categoryQuery = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.enum(errorCategories))
  .optional()
  .openapi({ description: "provider_error, database_error, … (either case)" });

export const severityQuery = z
  .string()
  .trim()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(errorSeverities))
  .optional();

export const sourceQuery = z
  .enum(["http", "upstream", "settlement", "cron", "loki", "monitor", "probe"])
  .optional()
  .openapi({ description: "Where the events were recorded" });

export const PaginationSchema = z
  .object({
    total: z.number().int().openapi({ description: "Every match, not just this page" }),
    limit: z.number().int(),
    offset: z.number().int(),
    returned: z.number().int(),
    has_more: z.boolean(),
  })
  .openapi("ErrorMonitorPagination");

export const PatternSchema = z
  .object({
    error_id: z.string().openapi({ description: "The fingerprint: pass it to the fix endpoints" }),
    fingerprint: z.string(),
    error_type: z.string().nullable(),
    message: z.string().openapi({ description: "The latest occurrence's message (secrets scrubbed)" }),
    category: z.string().openapi({ example: "provider_error" }),
    severity: z.enum(errorSeverities),
    source: z.string(),
    route: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    status_code: z.number().int().nullable(),
    stack_trace: z.string().nullable(),
    timestamp: z.string().openapi({ description: "First occurrence in the window" }),
    first_seen: z.string(),
    last_seen: z.string(),
    count: z.number().int(),
    examples: z.array(z.string()),
    last_request_id: z.string().nullable(),
    fixable: z.boolean(),
    suggested_fix: z.string().nullable(),
  })
  .openapi("ErrorPattern");

export const FixSchema = z
  .object({
    id: z.number().int(),
    error_pattern_id: z.string().openapi({ description: "The pattern's fingerprint" }),
    error_message: z.string().nullable(),
    error_category: z.string(),
    severity: z.enum(errorSeverities),
    model: z.string(),
    analysis: z.string(),
    proposed_fix: z.string(),
    code_changes: z.record(z.string(), z.string()),
    files_affected: z.array(z.string()),
    status: z.string().openapi({ description: "pending (no pull request), pr_opened, pr_failed" }),
    pr_url: z.string().nullable(),
    error: z.string().nullable(),
    request_ids: z.array(z.string()).openapi({ description: "The billed gateway requests (chat_completion_requests)" }),
    cost_usd: z.number(),
    generated_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ErrorFix");

export const PullRequestSchema = z
  .object({
    requested: z.boolean(),
    opened: z.boolean(),
    url: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi("ErrorFixPullRequest");

export const ScanSummarySchema = z
  .object({
    hours: z.number().int(),
    errors_found: z.number().int().openapi({ description: "Occurrences in the window" }),
    patterns_found: z.number().int(),
    critical_errors: z.number().int().openapi({ description: "Patterns of severity critical or high" }),
    fixable_errors: z.number().int(),
    loki: z.object({
      enabled: z.boolean(),
      fetched: z.number().int(),
      ingested: z.number().int().openapi({ description: "Lines not seen by an earlier scan, now error events" }),
      error: z.string().nullable(),
    }),
    auto_fixes_started: z.number().int(),
    auto_fix_targets: z.array(z.string()).openapi({ description: "The patterns (error_id) given a fix suggestion" }),
    trigger: z.enum(["manual", "cron"]),
  })
  .openapi("ErrorScanSummary");

export const MonitorStatusSchema = z
  .object({
    enabled: z.boolean().openapi({ description: "Started by an operator (the cron scans)" }),
    running: z.boolean().openapi({ description: "Enabled and a scan ran within the interval (+2 min)" }),
    auto_fix_enabled: z.boolean(),
    scan_interval: z.number().int(),
    last_scan: z.string().nullable(),
    last_result: ScanSummarySchema.nullable(),
    started_at: z.string().nullable(),
    started_by: z.string().nullable(),
    stopped_at: z.string().nullable(),
    errors_since_last_fix: z.number().int(),
    total_patterns: z.number().int().openapi({ description: "Patterns of the last 24 hours" }),
    loki_enabled: z.boolean(),
    fix_model: z.string().nullable(),
  })
  .openapi("ErrorMonitorStatus");
