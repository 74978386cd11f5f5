import type { RouteHandler } from "@hono/zod-openapi";
import { type ErrorPattern, findPatterns } from "../../db/error-events";
import { findFix, listFixes } from "../../db/error-fixes";
import type { AppEnv } from "../../env";
import { ApiError, notFound } from "../../lib/errors";
import { errorText, scrubSecrets } from "../../operations/error-classify";
import { generateFix, requireFixModel } from "../../operations/fix-generator";
import { hoursAgo, operationsDeps, pagination, presentFix } from "./error-monitor.present";
import type { generateBatchRoute, generateForErrorRoute, getFixRoute, listFixesRoute } from "./fixes.routes";

/** How far back a pattern is looked up for a fix. */
const PATTERN_LOOKBACK_HOURS = 30 * 24;

async function patternsById(db: Parameters<typeof findPatterns>[0], ids: string[]): Promise<Map<string, ErrorPattern>> {
  const rows = await findPatterns(
    db,
    { since: hoursAgo(PATTERN_LOOKBACK_HOURS), fingerprints: ids },
    { limit: ids.length, offset: 0, order: "count" },
  );
  return new Map(rows.map((pattern) => [pattern.fingerprint, pattern]));
}

export const generateForError: RouteHandler<typeof generateForErrorRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  requireFixModel(c.var.config);
  const pattern = (await patternsById(c.var.sql(), [query.error_id])).get(query.error_id);
  if (!pattern) throw notFound(`No error pattern '${query.error_id}' in the last 30 days`, "error_pattern_not_found");
  const { fix, pullRequest } = await generateFix(operationsDeps(c), pattern, { createPr: query.create_pr });
  return c.json({ status: "success" as const, fix: presentFix(fix), pull_request: pullRequest }, 200);
};

export const generateBatch: RouteHandler<typeof generateBatchRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  requireFixModel(c.var.config);
  const patterns = await patternsById(c.var.sql(), query.error_ids);
  const notFoundIds = query.error_ids.filter((id) => !patterns.has(id));
  if (patterns.size === 0)
    throw notFound("None of the error_ids is a pattern of the last 30 days", "error_pattern_not_found");
  const deps = operationsDeps(c);
  const fixes = [];
  const failed: { error_id: string; error: string }[] = [];
  // One after another: each is two model calls, and the batch must stay within one request's limits.
  for (const pattern of patterns.values()) {
    try {
      const { fix, pullRequest } = await generateFix(deps, pattern, { createPr: query.create_prs });
      fixes.push({ ...presentFix(fix), pull_request: pullRequest });
    } catch (error) {
      failed.push({
        error_id: pattern.fingerprint,
        error: error instanceof ApiError ? error.message : scrubSecrets(errorText(error)).slice(0, 300),
      });
    }
  }
  const status = failed.length === 0 ? "success" : fixes.length === 0 ? "failed" : "partial";
  return c.json({ status, count: fixes.length, fixes, failed, not_found: notFoundIds } as const, 200);
};

export const listGeneratedFixes: RouteHandler<typeof listFixesRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const { rows, total } = await listFixes(c.var.sql(), { fingerprint: query.error_id, status: query.status }, query);
  return c.json(
    {
      total_fixes: total,
      count: rows.length,
      fixes: rows.map(presentFix),
      pagination: pagination(query, total, rows.length),
    },
    200,
  );
};

export const getFix: RouteHandler<typeof getFixRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const fix = await findFix(c.var.sql(), id);
  if (!fix) throw notFound("Fix not found", "fix_not_found");
  return c.json({ fix: presentFix(fix) }, 200);
};
