import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  type Throughput,
  type ThroughputWindow,
  throughputModelIds,
  throughputOf,
} from "../../db/request-analytics-throughput";
import type { AppEnv } from "../../env";
import { forbidden } from "../../lib/errors";
import { TtlCache } from "../../lib/ttl-cache";
import type { tokensPerSecondAllRoute, tokensPerSecondRoute } from "./throughput.routes";

/** The seed's metric name, kept so dashboards built on it keep working. */
export const METRIC = "gateway_tokens_per_second";

// The allowed set ranks every request: a public endpoint recomputes it at most once a minute per isolate.
const allowedModels = new TtlCache<ReadonlySet<number>>(1);
const ALLOWED_TTL_MS = 60_000;

async function allowedModelIds(c: Context<AppEnv>): Promise<ReadonlySet<number>> {
  const cached = allowedModels.get("all");
  if (cached) return cached;
  const ids = new Set(await throughputModelIds(c.var.db()));
  allowedModels.set("all", ids, ALLOWED_TTL_MS);
  return ids;
}

/** Prometheus label values escape backslash, double quote and newline. */
const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function exposition(result: Throughput | undefined, range: string, filtered: boolean): string {
  const lines = [
    `# HELP ${METRIC} Token throughput (tokens/second) by model and provider`,
    `# TYPE ${METRIC} gauge`,
    `# Generated: ${new Date().toISOString()}`,
    `# Time range: ${range}`,
  ];
  if (filtered) lines.push("# Filtered to: top 3 models + minimum 1 per provider");
  if (result) {
    const labels = `model="${label(result.model)}",provider="${label(result.provider)}",requests="${result.requests}",total_tokens="${result.totalTokens}"`;
    lines.push(`${METRIC}{${labels}} ${result.tokensPerSecond}`);
  } else {
    lines.push("# No data available");
  }
  return `${lines.join("\n")}\n`;
}

const PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

async function answer(c: Context<AppEnv>, modelId: number, provider: string, window: ThroughputWindow | undefined) {
  const result = await throughputOf(c.var.db(), modelId, provider, window);
  return c.text(exposition(result, window ?? "all", window !== undefined), 200, { "content-type": PROMETHEUS_TYPE });
}

export const tokensPerSecond: RouteHandler<typeof tokensPerSecondRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  if (!(await allowedModelIds(c)).has(query.model_id)) {
    throw forbidden(
      `Model ${query.model_id} is not among the models this metric serves (the top 3 by requests and the top model of each provider); /all serves any model`,
      "model_not_in_metric_set",
    );
  }
  return answer(c, query.model_id, query.provider_id, query.time);
};

export const tokensPerSecondAll: RouteHandler<typeof tokensPerSecondAllRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  return answer(c, query.model_id, query.provider_id, undefined);
};
