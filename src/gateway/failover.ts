// Which (provider, model) attempts a request gets, in order: the requested model, then the request's
// `models` fallbacks (OpenRouter-style); for each, the providers of `provider.order` when given, else
// the resolved provider followed by its FAILOVER_MAP fallbacks (unless `allow_fallbacks` is false).
// Attempts whose provider or provider+model breaker is open are skipped.
import { ApiError, serviceUnavailable } from "../lib/errors";
import { isRecord } from "../lib/json";
import { providerIdFor } from "../providers/registry";
import { modelBreaker, providerBreaker } from "./breakers";
import { type ResolveDeps, type ResolvedModel, resolveModel } from "./resolve-model";

export interface ProviderPreferences {
  order: string[];
  allowFallbacks: boolean;
}

/** The request's `provider` field: a slug (force one) or OpenRouter's `{order, allow_fallbacks}`. */
export function providerPreferences(field: unknown): ProviderPreferences | undefined {
  if (typeof field === "string") return { order: [field], allowFallbacks: false };
  if (!isRecord(field)) return undefined;
  const order = Array.isArray(field.order)
    ? field.order.filter((slug): slug is string => typeof slug === "string")
    : [];
  return { order, allowFallbacks: field.allow_fallbacks !== false };
}

const parsedMaps = new Map<string, Record<string, string[]>>();

/**
 * FAILOVER_MAP, e.g. `{"openrouter": ["together", "deepinfra"]}`: providers serving the same model ids.
 * Parsed once per isolate (the setting does not change while it lives), not on every request.
 */
export function parseFailoverMap(text: string | undefined): Record<string, string[]> {
  if (!text) return {};
  const cached = parsedMaps.get(text);
  if (cached) return cached;
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed)) throw new TypeError("FAILOVER_MAP must be a JSON object of provider → [providers]");
  const map: Record<string, string[]> = {};
  for (const [provider, fallbacks] of Object.entries(parsed)) {
    if (Array.isArray(fallbacks)) map[provider] = fallbacks.filter((slug): slug is string => typeof slug === "string");
  }
  parsedMaps.set(text, map);
  return map;
}

export interface PlannedAttempts {
  attempts: ResolvedModel[];
  /** Attempts left out because a breaker is open. */
  skipped: { provider: string; model: string }[];
}

async function candidatesFor(
  model: string,
  preferences: ProviderPreferences | undefined,
  failoverMap: Record<string, string[]>,
  deps: ResolveDeps,
): Promise<ResolvedModel[]> {
  const candidates: ResolvedModel[] = [];
  const forced = preferences?.order ?? [];
  for (const slug of forced) candidates.push(await resolveModel({ model, forcedProvider: slug }, deps));
  if (forced.length > 0 && !preferences?.allowFallbacks) return candidates;
  const primary = forced.length > 0 ? candidates[0] : await resolveModel({ model }, deps);
  if (primary && forced.length === 0) candidates.push(primary);
  for (const slug of (primary && failoverMap[primary.providerId]) ?? []) {
    if (!providerIdFor(slug) || !primary) continue;
    try {
      candidates.push(await resolveModel({ model: primary.upstreamModel, forcedProvider: slug }, deps));
    } catch {
      // A fallback that is not configured here is simply not an option.
    }
  }
  return candidates;
}

export async function planAttempts(
  models: string[],
  providerField: unknown,
  failoverMap: Record<string, string[]>,
  deps: ResolveDeps,
  breakerAllows: (name: string) => boolean,
): Promise<PlannedAttempts> {
  const preferences = providerPreferences(providerField);
  const seen = new Set<string>();
  const attempts: ResolvedModel[] = [];
  const skipped: PlannedAttempts["skipped"] = [];
  for (const [index, model] of models.entries()) {
    let candidates: ResolvedModel[];
    try {
      candidates = await candidatesFor(model, preferences, failoverMap, deps);
    } catch (error) {
      // The requested model must resolve; a fallback model that does not is skipped.
      if (index === 0 || !(error instanceof ApiError)) throw error;
      continue;
    }
    for (const candidate of candidates) {
      const key = `${candidate.providerId}/${candidate.upstreamModel}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const open =
        !breakerAllows(providerBreaker(candidate.providerId)) ||
        !breakerAllows(modelBreaker(candidate.providerId, candidate.upstreamModel));
      if (open) skipped.push({ provider: candidate.providerId, model: candidate.upstreamModel });
      else attempts.push(candidate);
    }
  }
  if (attempts.length === 0) {
    const names = skipped.map((entry) => `${entry.provider}/${entry.model}`).join(", ");
    throw serviceUnavailable(`Every provider for this request is unavailable (circuit open: ${names})`, "circuit_open");
  }
  return { attempts, skipped };
}

/** Exponential backoff with jitter before retrying the same provider; honours a short Retry-After. */
export function retryDelayMs(retry: number, retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  return Math.min(250 * 2 ** retry, 2_000) + Math.floor(Math.random() * 100);
}
