// Every provider the gateway can route to. `ProviderId` is derived from this object.
import type { Env } from "../env";
import { ConfigError } from "../env";
import { anthropicAdapter } from "./anthropic";
import { googleAdapter } from "./google";
import { createOpenAiCompatibleAdapter } from "./openai-compatible/adapter";
import { type OpenAiCompatibleVendorId, openAiCompatibleVendors } from "./openai-compatible/vendors";
import type { ProviderAdapter, ProviderSettings } from "./types";

const openAiCompatibleAdapters = Object.fromEntries(
  Object.entries(openAiCompatibleVendors).map(([id, vendor]) => [id, createOpenAiCompatibleAdapter(id, vendor)]),
) as Record<OpenAiCompatibleVendorId, ProviderAdapter>;

export const providers = {
  ...openAiCompatibleAdapters,
  anthropic: anthropicAdapter,
  google: googleAdapter,
} satisfies Record<string, ProviderAdapter>;

export type ProviderId = keyof typeof providers;

export function isProviderId(value: string): value is ProviderId {
  return Object.hasOwn(providers, value);
}

/** Aliases accepted in model prefixes and `provider` fields. */
const aliases: Record<string, ProviderId> = { hug: "huggingface", hf: "huggingface", "x-ai": "xai" };

export function providerIdFor(value: string): ProviderId | undefined {
  const slug = value.toLowerCase();
  if (isProviderId(slug)) return slug;
  return aliases[slug];
}

/** `<SLUG>_<SUFFIX>`: the environment variable holding a provider setting (`OPENROUTER_API_KEY`). */
export const providerEnvName = (id: string, suffix: "API_KEY" | "BASE_URL" | "CATALOG_URL" | "MAX_CONCURRENCY") =>
  `${id.toUpperCase().replaceAll("-", "_")}_${suffix}`;
const envName = providerEnvName;

/**
 * The provider's key and base URL from `<SLUG>_API_KEY` / `<SLUG>_BASE_URL` (and its model-list URL
 * from `<SLUG>_CATALOG_URL` when set); undefined when the
 * provider is not configured (no key) or is development-only in production.
 */
export function providerSettings(env: Env, id: ProviderId, environment: string): ProviderSettings | undefined {
  const adapter: ProviderAdapter = providers[id];
  if (adapter.developmentOnly && environment === "production") return undefined;
  const apiKey = env[envName(id, "API_KEY")];
  if (typeof apiKey !== "string" || apiKey.length === 0) return undefined;
  const configured = env[envName(id, "BASE_URL")];
  let baseUrl = typeof configured === "string" && configured.length > 0 ? configured : adapter.defaultBaseUrl;
  baseUrl = baseUrl.replace(/\{([A-Z0-9_]+)\}/g, (_placeholder, name: string) => {
    const value = env[name];
    if (typeof value !== "string" || value.length === 0) {
      throw new ConfigError([`${envName(id, "BASE_URL")}: required (or set ${name}) for provider ${id}`]);
    }
    return value;
  });
  if (!URL.canParse(baseUrl)) throw new ConfigError([`${envName(id, "BASE_URL")}: not a URL: ${baseUrl}`]);
  const catalogUrl = env[envName(id, "CATALOG_URL")];
  if (typeof catalogUrl === "string" && catalogUrl.length > 0) {
    if (!URL.canParse(catalogUrl)) throw new ConfigError([`${envName(id, "CATALOG_URL")}: not a URL: ${catalogUrl}`]);
    return { apiKey, baseUrl, catalogUrl };
  }
  return { apiKey, baseUrl };
}
