import { z } from "@hono/zod-openapi";
import { routerTierTables } from "../../db/schema";
import { complexities, taskCategories } from "../../gateway/router-classifier";
import { routerNames, routingModes } from "../../gateway/router-decision";

export const tags = ["Model routers"];

export const TierModelSchema = z
  .object({
    id: z.string().openapi({ example: "openai/gpt-4o-mini" }),
    provider: z.string().nullable().openapi({ description: "The id's provider prefix, if it has one" }),
    price_input_per_million: z.number().nullable().openapi({ description: "USD, from the catalog; null if unlisted" }),
    price_output_per_million: z.number().nullable(),
  })
  .openapi("RouterTierModel");

export const TierSchema = z
  .object({
    id: z.number().int(),
    router: z.enum(routerTierTables),
    tier: z.number().int().min(1).max(4).openapi({ description: "1 premium … 4 budget" }),
    name: z.string(),
    description: z.string().nullable(),
    models: z.array(TierModelSchema).openapi({ description: "Candidates in order of preference" }),
    is_active: z.boolean(),
    updated_at: z.string(),
  })
  .openapi("RouterTier");

export const TierListSchema = z
  .object({
    success: z.literal(true),
    tiers: z.array(TierSchema),
    baselines: z.array(z.string()).openapi({ description: "Models the savings estimate compares with" }),
    cache_ttl_seconds: z.number().int().openapi({ description: "How long an edit may take to reach every isolate" }),
  })
  .openapi("RouterTierList");

const modelId = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((id) => !id.startsWith("router:"), "a tier lists concrete models, not routers");

export const TierPatchSchema = z
  .object({
    models: z
      .array(modelId)
      .min(1)
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, "models must not repeat")
      .optional()
      .openapi({ description: "Ordered candidates (1-10): the first routable and allowed one answers" }),
    is_active: z.boolean().optional().openapi({ description: "An inactive tier is skipped" }),
    name: z.string().trim().min(1).max(50).optional(),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "send at least one of models, is_active, name, description",
  })
  .openapi("RouterTierPatch");

export const RouteTestRequestSchema = z
  .object({
    prompt: z.string().min(1).max(200_000).openapi({ description: "The last user message" }),
    system: z.string().max(200_000).optional().openapi({ description: "The system prompt, if any" }),
    mode: z
      .enum(["auto", ...routingModes])
      .default("auto")
      .openapi({ description: "auto = balanced (the seed's name in this endpoint)" }),
    router: z.enum(routerNames).default("code"),
    has_tools: z.boolean().default(false).openapi({ description: "The request would offer tools" }),
    context: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "Accepted for compatibility with the seed; not used" }),
  })
  .openapi("RouteTestRequest");

const CandidateSchema = z.object({ model: z.string(), tier: z.number().int(), routable: z.boolean() });

export const RouteTestResponseSchema = z
  .object({
    model_id: z.string().nullable().openapi({ description: "Null when no candidate is routable here" }),
    provider: z.string().nullable().openapi({ description: "The provider that would serve it" }),
    tier: z.number().int().openapi({ description: "The tier the mode asked for" }),
    task_category: z.enum(taskCategories),
    complexity: z.enum(complexities),
    confidence: z.number(),
    default_tier: z.number().int(),
    min_tier: z.number().int(),
    mode: z.enum(routingModes),
    router_model: z.string().openapi({ example: "router:code:price" }),
    tier_table: z.enum(routerTierTables),
    signals: z.array(z.string()),
    candidates: z.array(CandidateSchema),
    routing_latency_ms: z.number(),
    savings_estimate: z.object({
      basis: z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() }),
      model_cost_usd: z.number().nullable(),
      baselines: z.array(
        z.object({
          model: z.string(),
          cost_usd: z.number().nullable(),
          savings_usd: z.number().nullable(),
          savings_percent: z.number().nullable(),
        }),
      ),
    }),
    model_info: TierModelSchema.extend({ tier: z.number().int(), tier_name: z.string().nullable() }).nullable(),
  })
  .openapi("RouteTestResponse");

export const SettingsValidateRequestSchema = z
  .object({
    use_code_router: z.boolean().default(true),
    optimization_mode: z.string().max(50).default("balanced"),
    manual_model: z.string().max(200).nullable().optional(),
  })
  .openapi("CodeRouterSettings");

export const SettingsValidateResponseSchema = z
  .object({
    valid: z.boolean(),
    model_string: z.string().nullable().openapi({ example: "router:code:price" }),
    errors: z.array(z.string()),
    warnings: z.array(z.string()),
  })
  .openapi("CodeRouterSettingsValidation");

const OptionSchema = z.object({ value: z.string(), label: z.string(), description: z.string() });

export const SettingsOptionsSchema = z
  .object({
    success: z.literal(true),
    options: z.record(
      z.string(),
      z.object({
        type: z.string(),
        default: z.union([z.boolean(), z.string()]),
        label: z.string(),
        description: z.string(),
        options: z.array(OptionSchema).optional(),
        depends_on: z.record(z.string(), z.boolean()).optional(),
      }),
    ),
    modes: z.array(OptionSchema),
  })
  .openapi("CodeRouterSettingsOptions");

export const RouterStatsSchema = z
  .object({
    success: z.literal(true),
    stats: z.object({
      tiers_loaded: z.number().int(),
      models_available: z.number().int().openapi({ description: "Distinct models over the active tiers" }),
      baselines: z.array(z.string()),
      window: z.object({ hours: z.number().int(), start_time: z.string(), end_time: z.string() }),
      routed_requests: z.number().int(),
      completed: z.number().int(),
      failed: z.number().int(),
      total_cost_usd: z.number(),
      average_confidence: z.number().nullable(),
      by_model: z.array(
        z.object({
          router_model: z.string(),
          provider: z.string().nullable(),
          model: z.string().nullable().openapi({ description: "The model that served (upstream id)" }),
          requests: z.number().int(),
          completed: z.number().int(),
          cost_usd: z.number(),
          prompt_tokens: z.number().int(),
          completion_tokens: z.number().int(),
          average_latency_ms: z.number().nullable(),
        }),
      ),
      by_classification: z.array(
        z.object({
          category: z
            .string()
            .nullable()
            .openapi({ description: "Null: no decision row (written after the response)" }),
          complexity: z.string().nullable(),
          tier: z.number().int().nullable(),
          requests: z.number().int(),
        }),
      ),
    }),
  })
  .openapi("CodeRouterStats");
