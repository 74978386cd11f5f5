// The code router's client settings (seed 001 L7327-7397, L7664-7756): static options, and a check
// that turns settings into the model string to send.
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { parseRouterModel, type RoutingMode, routerModelId, routingModes } from "../../gateway/router-decision";
import { ApiError } from "../../lib/errors";
import type { settingsOptionsRoute, validateSettingsRoute } from "./code-router.routes";

const modeText: Record<RoutingMode, { label: string; description: string }> = {
  balanced: { label: "Balanced", description: "Auto-select best price/performance balance" },
  price: { label: "Price", description: "Optimize for lowest cost while maintaining quality" },
  quality: { label: "Quality", description: "Optimize for highest quality, use better models" },
  agentic: { label: "Agentic", description: "Always use premium models for complex tasks" },
};

const modes = routingModes.map((value) => ({ value, ...modeText[value] }));

/** Short names the seed accepts as a manual model without a provider prefix. */
const knownAliases = new Set([
  "gpt-4",
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-3.5-turbo",
  "claude-3-opus",
  "claude-3-sonnet",
  "claude-3-haiku",
  "gemini-pro",
  "gemini-flash",
]);

export const settingsOptions: RouteHandler<typeof settingsOptionsRoute, AppEnv> = (c) =>
  c.json(
    {
      success: true as const,
      options: {
        use_code_router: {
          type: "boolean",
          default: true,
          label: "Use Code Router",
          description: "Enable intelligent model selection based on task complexity",
        },
        optimization_mode: {
          type: "select",
          default: "balanced",
          label: "Optimization Mode",
          description: "How to balance cost and quality",
          options: modes,
          depends_on: { use_code_router: true },
        },
        manual_model: {
          type: "model_select",
          default: "anthropic/claude-sonnet-4",
          label: "Manual Model",
          description: "The model to use when the code router is off",
          depends_on: { use_code_router: false },
        },
        show_routing_info: {
          type: "boolean",
          default: true,
          label: "Show Routing Info",
          description: "Show which model was chosen (the x-gateway-routed-model response header)",
        },
        show_savings: {
          type: "boolean",
          default: true,
          label: "Show Savings",
          description: "Show the estimated savings against the baseline models",
        },
      },
      modes,
    },
    200,
  );

function routerIdProblem(model: string): string | undefined {
  try {
    parseRouterModel(model);
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return error.message;
    throw error;
  }
}

export const validateSettings: RouteHandler<typeof validateSettingsRoute, AppEnv> = (c) => {
  const body = c.req.valid("json");
  const errors: string[] = [];
  const warnings: string[] = [];
  const mode = routingModes.find((value) => value === body.optimization_mode);
  if (!mode) {
    errors.push(`Invalid optimization_mode '${body.optimization_mode}': use one of ${routingModes.join(", ")}`);
  }
  const manual = body.manual_model?.trim() || undefined;
  if (!body.use_code_router) {
    if (!manual) errors.push("manual_model is required when use_code_router is false");
    else if (manual.startsWith("router:")) {
      const problem = routerIdProblem(manual);
      if (problem) errors.push(problem);
    } else if (!manual.includes("/") && !knownAliases.has(manual)) {
      warnings.push(`Model '${manual}' may not be available: use a provider-prefixed id such as 'openai/gpt-4o-mini'`);
    }
  }
  let modelString: string | null = null;
  if (errors.length === 0) modelString = body.use_code_router && mode ? routerModelId("code", mode) : (manual ?? null);
  return c.json({ valid: errors.length === 0, model_string: modelString, errors, warnings }, 200);
};
