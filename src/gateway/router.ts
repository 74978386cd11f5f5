// The `router:` step of the hot path: a `router:*` model id becomes the list of concrete models the
// failover planner gets. The prompt is classified (router-classifier.ts), the tier chosen
// (router-decision.ts), and the tier's candidates kept in order when they are routable here (they
// resolve to a configured provider and some breaker is closed) and allowed for the key, at most
// MAX_CANDIDATES of them; the request's own `models` follow. The first candidate answers; the
// others are its failover. The decision is logged (router_decisions) after the response.
import type { AnyDatabase } from "../db/client";
import { insertRouterDecision, listRouterTiers, type RouterTierRow } from "../db/router-tiers";
import { ApiError, forbidden, serviceUnavailable } from "../lib/errors";
import { isRecord } from "../lib/json";
import { TtlCache } from "../lib/ttl-cache";
import type { ChatRequest } from "../providers/openai-types";
import type { InferenceContext } from "./context";
import type { PlannedAttempts } from "./failover";
import type { ResolvedModel } from "./resolve-model";
import { type Classification, type ClassifierInput, classifyPrompt } from "./router-classifier";
import { decideRoute, isRouterModel, parseRouterModel, type RouteDecision, type RouterModel } from "./router-decision";

/** Routable candidates handed to the planner: the chosen model and its failover. */
export const MAX_CANDIDATES = 4;

/** Tiers change only by an admin edit: an isolate may reuse them for a minute (an edit clears its own isolate's copy). */
const tierCache = new TtlCache<RouterTierRow[]>(4);
const TIER_TTL_MS = 60_000;

export function clearRouterTierCache(): void {
  tierCache.clear();
}

export async function cachedRouterTiers(db: AnyDatabase): Promise<RouterTierRow[]> {
  const cached = tierCache.get("all");
  if (cached) return cached;
  const tiers = await listRouterTiers(db);
  tierCache.set("all", tiers, TIER_TTL_MS);
  return tiers;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
    .filter((text) => text.length > 0)
    .join("\n");
}

/** The classifier's view of a request: the last user message, the system prompt, tool use. */
export function classifierInputOf(request: ChatRequest): ClassifierInput {
  const { messages } = request;
  const lastUser = messages.findLast((message) => message.role === "user");
  const system = messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map((message) => textOf(message.content))
    .join("\n");
  const toolTurns = messages.filter(
    (message) =>
      message.role === "tool" ||
      (message.role === "assistant" && Array.isArray(message.tool_calls) && message.tool_calls.length > 0),
  ).length;
  return {
    prompt: textOf(lastUser?.content),
    system,
    hasTools: Array.isArray(request.tools) && request.tools.length > 0,
    toolTurns,
  };
}

export interface Routing {
  router: RouterModel;
  classification: Classification;
  decision: RouteDecision;
  /** For the failover planner: the routable candidates, then the request's own `models`. */
  models: string[];
  /** The tier candidate a planned attempt came from (`provider/model` for one that is not). */
  candidateOf: (resolved: ResolvedModel) => string;
}

export interface RoutePlanning {
  /** The pipeline's own planner (resolution, provider preferences, failover map, breakers). */
  plan: (models: string[]) => Promise<PlannedAttempts>;
  /** The key's model allowlist, as the pipeline applies it. */
  allowed: (resolved: ResolvedModel) => boolean;
}

const attemptKey = (resolved: ResolvedModel) => `${resolved.providerId}/${resolved.upstreamModel}`;

/**
 * Nobody pays for anonymous use: a router id on the anonymous allowlist routes only to candidates
 * that are on the list themselves (otherwise it would open every tier's models to everyone).
 */
function anonymousMayUse(ctx: InferenceContext, candidate: string, resolved: ResolvedModel): boolean {
  const allowed = ctx.caller.allowedModels;
  return allowed.includes(candidate) || allowed.includes(attemptKey(resolved));
}

/** Undefined for an ordinary model id; 400 for an unknown router; 403/503 when no candidate can serve. */
export async function routeModel(
  request: ChatRequest,
  ctx: InferenceContext,
  planning: RoutePlanning,
): Promise<Routing | undefined> {
  const router = parseRouterModel(request.model);
  if (!router) return undefined;
  const classification = classifyPrompt(classifierInputOf(request));
  const tiers = await cachedRouterTiers(ctx.sql());
  const decision = decideRoute(router, classification, (table) => tiers.filter((row) => row.router === table));

  const sourceOf = new Map<string, string>();
  const chosen: string[] = [];
  let refused = 0;
  for (const { model } of decision.candidates) {
    if (chosen.length >= MAX_CANDIDATES) break;
    if (isRouterModel(model)) continue;
    let planned: PlannedAttempts;
    try {
      planned = await planning.plan([model]);
    } catch (error) {
      // Not served by a configured provider, or every breaker open: the next candidate. A bad
      // `provider` field (400) is the client's mistake for every candidate alike.
      if (error instanceof ApiError && error.status !== 400) continue;
      throw error;
    }
    const usable = planned.attempts.filter(
      (resolved) => planning.allowed(resolved) && (ctx.caller.userId !== null || anonymousMayUse(ctx, model, resolved)),
    );
    if (usable.length === 0) {
      refused += 1;
      continue;
    }
    chosen.push(model);
    for (const resolved of usable) if (!sourceOf.has(attemptKey(resolved))) sourceOf.set(attemptKey(resolved), model);
  }
  if (chosen.length === 0) {
    if (refused > 0) {
      throw forbidden(
        `This API key may not use any model that '${router.id}' offers for this prompt`,
        "model_not_allowed",
      );
    }
    throw serviceUnavailable(
      `No model of '${router.id}' (${decision.table} tier ${decision.tier}) is available on this gateway`,
      "router_unavailable",
    );
  }

  ctx.defer(
    insertRouterDecision(ctx.sql(), {
      requestId: ctx.requestId,
      routerModel: router.id,
      router: decision.table,
      mode: decision.mode,
      category: classification.category,
      complexity: classification.complexity,
      confidence: classification.confidence,
      tier: decision.tier,
      candidates: chosen,
    }),
  );
  // Anonymous callers get no fallbacks of their own: the allowlist check covers the router id only.
  const ownFallbacks = (Array.isArray(request.models) && ctx.caller.userId !== null ? request.models : []).filter(
    (model): model is string => typeof model === "string" && model.length > 0 && !isRouterModel(model),
  );
  return {
    router,
    classification,
    decision,
    models: [...chosen, ...ownFallbacks],
    candidateOf: (resolved) => sourceOf.get(attemptKey(resolved)) ?? attemptKey(resolved),
  };
}

/** `router=code; mode=balanced; category=debugging; complexity=medium; confidence=0.85; tier=2`. */
export function routingSummary(routing: Routing): string {
  const { decision, classification } = routing;
  return [
    `router=${decision.table}`,
    `mode=${decision.mode}`,
    `category=${classification.category}`,
    `complexity=${classification.complexity}`,
    `confidence=${classification.confidence.toFixed(2)}`,
    `tier=${decision.tier}`,
  ].join("; ");
}

/** Says which model a routed request went to (the response is the pipeline's own, JSON or a stream). */
export function withRoutingHeaders(
  response: Response,
  routing: Routing | undefined,
  resolved: ResolvedModel,
): Response {
  if (!routing) return response;
  response.headers.set("x-gateway-routed-model", routing.candidateOf(resolved));
  response.headers.set("x-gateway-routing", routingSummary(routing));
  return response;
}
