import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { buildAuthorModelsRequest, parseAuthorModels } from "../../providers/huggingface/hub";
import type { UpstreamRequest } from "../../providers/types";
import type { authorModelsRoute } from "./huggingface.routes";

/** One Hub call; any failure (network, status, malformed body) is a 502 naming the Hub. */
export async function fetchFromHub(request: UpstreamRequest): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ApiError(
      502,
      `Hugging Face Hub unreachable: ${error instanceof Error ? error.message : error}`,
      "hub_unavailable",
    );
  }
  if (response.status === 404) return { status: 404, body: null };
  if (!response.ok) throw new ApiError(502, `Hugging Face Hub answered HTTP ${response.status}`, "hub_error");
  try {
    return { status: response.status, body: await response.json() };
  } catch {
    throw new ApiError(502, "Hugging Face Hub sent a malformed response", "hub_error");
  }
}

export const authorModels: RouteHandler<typeof authorModelsRoute, AppEnv> = async (c) => {
  const { author } = c.req.valid("param");
  const { limit } = c.req.valid("query");
  const token = typeof c.env.HUGGINGFACE_API_KEY === "string" ? c.env.HUGGINGFACE_API_KEY : undefined;
  const request = buildAuthorModelsRequest(c.var.config.HUGGINGFACE_HUB_URL, author, limit, token || undefined);
  const { status, body } = await fetchFromHub(request);
  let models: ReturnType<typeof parseAuthorModels> = [];
  if (status !== 404) {
    try {
      models = parseAuthorModels(body, author);
    } catch {
      throw new ApiError(502, "Hugging Face Hub sent something other than a model list", "hub_error");
    }
  }
  return c.json({ author, models, count: models.length }, 200);
};
