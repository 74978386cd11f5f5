// Which provider serves a model id, and under which upstream id:
//   1. the request's `provider` field forces one;
//   2. `<provider-slug>/<upstream-id>` routes to that provider when it is configured;
//   3. otherwise a configured provider whose catalog lists the id exactly;
//   4. otherwise DEFAULT_PROVIDER (openrouter) with the id unchanged.
import type { Env } from "../env";
import { badRequest, notFound } from "../lib/errors";
import { type ProviderId, providerIdFor, providerSettings, providers } from "../providers/registry";
import type { ProviderAdapter, ProviderSettings } from "../providers/types";

export interface ResolvedModel {
  providerId: ProviderId;
  adapter: ProviderAdapter;
  settings: ProviderSettings;
  upstreamModel: string;
}

export interface ResolveInput {
  model: string;
  forcedProvider?: string;
}

export interface ResolveDeps {
  env: Env;
  environment: string;
  defaultProvider: string;
  /** Provider slugs whose catalog lists this exact model id. */
  catalogProvidersOf: (modelId: string) => Promise<string[]>;
}

function configured(id: ProviderId, deps: ResolveDeps): ResolvedModel["settings"] | undefined {
  return providerSettings(deps.env, id, deps.environment);
}

export async function resolveModel(input: ResolveInput, deps: ResolveDeps): Promise<ResolvedModel> {
  const model = input.model.trim();
  const [first = "", ...rest] = model.split("/");
  const prefixed = rest.length > 0 ? providerIdFor(first) : undefined;

  if (input.forcedProvider) {
    const id = providerIdFor(input.forcedProvider);
    if (!id)
      throw badRequest(
        `Unknown provider '${input.forcedProvider}' for model '${model}'`,
        "unknown_provider",
        "provider",
      );
    const settings = configured(id, deps);
    if (!settings) {
      throw badRequest(
        `Provider '${id}' is not configured on this gateway (model '${model}')`,
        "provider_not_configured",
        "provider",
      );
    }
    const upstreamModel = prefixed === id ? rest.join("/") : model;
    return { providerId: id, adapter: providers[id], settings, upstreamModel };
  }

  if (prefixed) {
    const settings = configured(prefixed, deps);
    if (settings)
      return { providerId: prefixed, adapter: providers[prefixed], settings, upstreamModel: rest.join("/") };
  }

  for (const slug of await deps.catalogProvidersOf(model)) {
    const id = providerIdFor(slug);
    const settings = id ? configured(id, deps) : undefined;
    if (id && settings) return { providerId: id, adapter: providers[id], settings, upstreamModel: model };
  }

  const fallback = providerIdFor(deps.defaultProvider);
  const settings = fallback ? configured(fallback, deps) : undefined;
  if (fallback && settings)
    return { providerId: fallback, adapter: providers[fallback], settings, upstreamModel: model };
  throw notFound(`Model '${model}' is not served by any configured provider`, "model_not_found");
}
