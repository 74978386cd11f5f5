import { createRoute, z } from "@hono/zod-openapi";
import { adminSecurity, errorResponses } from "../../common.schemas";

const dryRunQuery = z.object({
  dry_run: z
    .enum(["true", "false"])
    .default("false")
    .openapi({ description: "Fetch and transform without writing anything" }),
});

export const SyncDetailsSchema = z
  .object({
    provider: z.string(),
    provider_id: z.number().int().nullable(),
    run_id: z.number().int().nullable(),
    dry_run: z.boolean(),
    success: z.boolean(),
    message: z.string(),
    pages_fetched: z.number().int(),
    models_fetched: z.number().int(),
    models_transformed: z.number().int(),
    models_skipped: z.number().int(),
    models_synced: z.number().int(),
    models_deactivated: z
      .number()
      .int()
      .openapi({ description: "Models the provider no longer lists (kept, inactive)" }),
    error: z.string().nullable(),
    warnings: z.array(z.string()),
  })
  .openapi("ModelSyncDetails");

const SyncOneSchema = z
  .object({ success: z.literal(true), message: z.string(), details: SyncDetailsSchema })
  .openapi("ModelSyncResult");

const SyncAllSchema = z
  .object({
    success: z.boolean().openapi({ description: "Every configured provider synced" }),
    message: z.string(),
    results: z.array(SyncDetailsSchema),
    not_configured: z.array(z.string()).openapi({ description: "Providers without an API key (not called)" }),
  })
  .openapi("ModelSyncAllResult");

const SyncRunSchema = z
  .object({
    id: z.number().int(),
    provider: z.string(),
    trigger: z.enum(["cron", "admin"]),
    status: z.enum(["running", "succeeded", "failed"]),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    pages_fetched: z.number().int(),
    models_fetched: z.number().int(),
    models_transformed: z.number().int(),
    models_skipped: z.number().int(),
    models_synced: z.number().int(),
    models_deactivated: z.number().int(),
    error: z.string().nullable(),
  })
  .openapi("ModelSyncRun");

export const syncProviderRoute = createRoute({
  method: "post",
  path: "/admin/model-sync/provider/{provider}",
  tags: ["Admin: catalog"],
  summary: "Sync one provider's models into the catalog",
  description:
    "Fetches every page of the provider's model list, transforms it (prices in USD per token), upserts it in one transaction and marks models the provider no longer lists inactive. A failed fetch writes nothing and is recorded as a failed run (502).",
  security: adminSecurity,
  request: { params: z.object({ provider: z.string().openapi({ example: "openrouter" }) }), query: dryRunQuery },
  responses: {
    200: { description: "Synced", content: { "application/json": { schema: SyncOneSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 500, 502, 503),
  },
});

export const syncAllRoute = createRoute({
  method: "post",
  path: "/admin/model-sync/all",
  tags: ["Admin: catalog"],
  summary: "Sync every configured provider, one after another",
  security: adminSecurity,
  request: { query: dryRunQuery },
  responses: {
    200: { description: "Per-provider results", content: { "application/json": { schema: SyncAllSchema } } },
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const syncableProvidersRoute = createRoute({
  method: "get",
  path: "/admin/model-sync/providers",
  tags: ["Admin: catalog"],
  summary: "Providers that can be synced, whether configured, and their catalog sizes",
  security: adminSecurity,
  responses: {
    200: {
      description: "Providers",
      content: {
        "application/json": {
          schema: z
            .object({
              providers: z.array(
                z.object({
                  slug: z.string(),
                  name: z.string(),
                  configured: z.boolean(),
                  api_key_env: z.string(),
                  active_models: z.number().int(),
                  inactive_models: z.number().int(),
                  last_synced_at: z.string().nullable(),
                }),
              ),
              total: z.number().int(),
              configured: z.number().int(),
            })
            .openapi("ModelSyncProviders"),
        },
      },
    },
    ...errorResponses(401, 403, 500, 503),
  },
});

export const syncStatusRoute = createRoute({
  method: "get",
  path: "/admin/model-sync/status",
  tags: ["Admin: catalog"],
  summary: "Catalog totals, each provider's latest run, recent runs and the schedule",
  security: adminSecurity,
  responses: {
    200: {
      description: "Status",
      content: {
        "application/json": {
          schema: z
            .object({
              catalog: z.object({
                providers: z.number().int(),
                active_models: z.number().int(),
                inactive_models: z.number().int(),
              }),
              providers: z.array(
                z.object({
                  provider: z.string(),
                  active_models: z.number().int(),
                  inactive_models: z.number().int(),
                  last_run: SyncRunSchema.nullable(),
                }),
              ),
              recent_runs: z.array(SyncRunSchema),
              schedule: z.object({
                cron: z.string(),
                providers_per_run: z.number().int(),
                interval_minutes: z.number().int(),
              }),
              timestamp: z.string(),
            })
            .openapi("ModelSyncStatus"),
        },
      },
    },
    ...errorResponses(401, 403, 500, 503),
  },
});
