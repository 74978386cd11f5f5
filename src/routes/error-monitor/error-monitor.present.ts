// From the db layer's records to the seed's response fields (lower-case categories, ISO times, USD
// numbers from exact decimals at the JSON edge).
import type { Context } from "hono";
import type { ErrorPattern } from "../../db/error-events";
import type { FixRecord } from "../../db/error-fixes";
import type { AppEnv } from "../../env";
import { usdNumberOf } from "../../lib/money";
import { fixabilityOf } from "../../operations/error-classify";
import type { OperationsDeps } from "../../operations/fix-generator";

export function presentPattern(pattern: ErrorPattern) {
  const { fixable, suggestedFix } = fixabilityOf(pattern.category, pattern.message);
  return {
    error_id: pattern.fingerprint,
    fingerprint: pattern.fingerprint,
    error_type: pattern.errorType,
    message: pattern.message,
    category: pattern.category.toLowerCase(),
    severity: pattern.severity,
    source: pattern.source,
    route: pattern.route,
    provider: pattern.provider,
    model: pattern.model,
    status_code: pattern.statusCode,
    stack_trace: pattern.stack,
    timestamp: pattern.firstSeen.toISOString(),
    first_seen: pattern.firstSeen.toISOString(),
    last_seen: pattern.lastSeen.toISOString(),
    count: pattern.count,
    examples: pattern.examples,
    last_request_id: pattern.lastRequestId,
    fixable,
    suggested_fix: suggestedFix,
  };
}

export function presentFix(fix: FixRecord) {
  return {
    id: fix.id,
    error_pattern_id: fix.fingerprint,
    error_message: fix.errorMessage,
    error_category: fix.category.toLowerCase(),
    severity: fix.severity,
    model: fix.model,
    analysis: fix.analysis,
    proposed_fix: fix.proposedFix,
    code_changes: fix.codeChanges,
    files_affected: fix.filesAffected,
    status: fix.status,
    pr_url: fix.prUrl,
    error: fix.error,
    request_ids: fix.requestIds,
    cost_usd: usdNumberOf(fix.costUsd),
    generated_at: fix.createdAt.toISOString(),
    updated_at: fix.updatedAt.toISOString(),
  };
}

export function pagination(page: { limit: number; offset: number }, total: number, returned: number) {
  return { total, limit: page.limit, offset: page.offset, returned, has_more: page.offset + returned < total };
}

export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);

/** The request's own resources for the error monitor's work (fix generation runs in this request). */
export function operationsDeps(c: Context<AppEnv>): OperationsDeps {
  return {
    env: c.env,
    config: c.var.config,
    db: c.var.db,
    sql: c.var.sql,
    defer: c.var.defer,
    sentry: c.var.sentry,
  };
}

/** Who did it, for the monitor's started_by. */
export function actorOf(c: Context<AppEnv>): string {
  const auth = c.var.auth;
  return auth.kind === "user" ? `admin:${auth.user.id}` : "admin:bootstrap";
}
