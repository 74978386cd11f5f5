import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses, jsonContent } from "../common.schemas";
import { FixSchema, PaginationSchema, PullRequestSchema, pageQuery, queryFlag } from "./error-monitor.schemas";

const tags = ["Admin: error monitor"];

/** Model calls per request stay within a Worker's limits: at most this many patterns per batch. */
export const MAX_BATCH = 10;

const fingerprint = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8,64}$/, "must be a pattern's error_id (its fingerprint)");

const how =
  "Two calls to ERROR_MONITOR_MODEL (an analysis, then the fix as JSON) run through the gateway's own inference pipeline, billed to the error monitor's system account and logged like any request. The pattern is looked up among the last 30 days of events. A pull request (the fix note plus the proposed files) is opened only when create_pr is set and GITHUB_TOKEN and GITHUB_REPO are configured. 503 when ERROR_MONITOR_MODEL is not set; 502 when the model call fails.";

export const generateForErrorRoute = createRoute({
  method: "post",
  path: "/error-monitor/fixes/generate-for-error",
  tags,
  summary: "Ask the configured model for a fix to one error pattern, and store the suggestion",
  description: how,
  security: adminSecurity,
  request: { query: z.object({ error_id: fingerprint, create_pr: queryFlag }) },
  responses: {
    200: jsonContent(
      z
        .object({ status: z.literal("success"), fix: FixSchema, pull_request: PullRequestSchema })
        .openapi("ErrorFixGenerated"),
      "The stored suggestion",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 502, 503),
  },
});

export const generateBatchRoute = createRoute({
  method: "post",
  path: "/error-monitor/fixes/generate-batch",
  tags,
  summary: `Fixes for several patterns, one after another (at most ${MAX_BATCH})`,
  description: `${how} error_ids repeats (?error_ids=a&error_ids=b) or is comma-separated. A pattern whose generation fails is listed under failed; 404 when none of the ids is a known pattern.`,
  security: adminSecurity,
  request: {
    query: z.object({
      error_ids: z
        .union([z.string(), z.array(z.string())])
        .transform((value) => [
          ...new Set(
            (Array.isArray(value) ? value : [value])
              .flatMap((item) => item.split(","))
              .map((item) => item.trim())
              .filter(Boolean),
          ),
        ])
        .pipe(z.array(fingerprint).min(1).max(MAX_BATCH)),
      create_prs: queryFlag,
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          status: z.enum(["success", "partial", "failed"]),
          count: z.number().int(),
          fixes: z.array(FixSchema.extend({ pull_request: PullRequestSchema })),
          failed: z.array(z.object({ error_id: z.string(), error: z.string() })),
          not_found: z.array(z.string()),
        })
        .openapi("ErrorFixBatch"),
      "The stored suggestions",
    ),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const listFixesRoute = createRoute({
  method: "get",
  path: "/error-monitor/fixes/generated",
  tags,
  summary: "Stored fix suggestions, newest first (exact total)",
  security: adminSecurity,
  request: {
    query: z.object({
      ...pageQuery,
      error_id: fingerprint.optional(),
      status: z.enum(["pending", "pr_opened", "pr_failed"]).optional(),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          total_fixes: z.number().int(),
          count: z.number().int(),
          fixes: z.array(FixSchema),
          pagination: PaginationSchema,
        })
        .openapi("ErrorFixList"),
      "Suggestions",
    ),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const getFixRoute = createRoute({
  method: "get",
  path: "/error-monitor/fixes/{id}",
  tags,
  summary: "One fix suggestion",
  security: adminSecurity,
  request: { params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }) },
  responses: {
    200: jsonContent(z.object({ fix: FixSchema }).openapi("ErrorFixResponse"), "The suggestion"),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});
