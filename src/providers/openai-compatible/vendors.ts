// Every OpenAI-compatible vendor as configuration over one adapter. Each takes `<SLUG>_API_KEY` and
// `<SLUG>_BASE_URL` (which overrides the default below, for proxies, regional endpoints and tests).
// `modelsDevId` is set only where the recorded models.dev catalog (fixture catalog/models.dev-api.json)
// has a key for the same service; vendors models.dev does not list have none.
import { buildHubModelListRequest, parseHubModelList } from "../huggingface/hub-models";
import type { ProviderAdapter } from "../types";

export interface OpenAiCompatibleVendor {
  displayName: string;
  defaultBaseUrl: string;
  /**
   * How usage reaches us in a stream: "include_usage" means we must ask for it with
   * `stream_options.include_usage` (OpenAI's way); "always" means the vendor sends it unasked in its
   * last chunk and may reject `stream_options`.
   */
  streamUsage: "include_usage" | "always";
  /** Extra static headers the vendor wants. */
  headers?: Record<string, string>;
  developmentOnly?: boolean;
  /** The vendor's key in models.dev (see ProviderAdapter.modelsDevId). */
  modelsDevId?: string;
  /**
   * Who makes the models this vendor lists without a namespace (OpenAI's list says `owned_by:
   * "system"`, which is no developer anyone filters by).
   */
  developer?: string;
  /** Serves OpenAI's `POST <base>/embeddings` (per the vendor's documentation). */
  embeddings?: boolean;
  /**
   * Serves OpenAI's `POST <base>/images/generations` (per the vendor's documentation). Fal.ai is not a
   * vendor here: its image API is its own queue API, not OpenAI's (FLUX and Imagen models are
   * reachable through Vercel AI Gateway's images endpoint instead).
   */
  images?: boolean;
  /** How to list models when it is not OpenAI's `GET <base>/models` (Hugging Face lists from its Hub). */
  modelList?: {
    build: ProviderAdapter["buildModelListRequest"];
    parse: ProviderAdapter["parseModelList"];
  };
}

export const openAiCompatibleVendors = {
  openai: {
    displayName: "OpenAI",
    defaultBaseUrl: "https://api.openai.com/v1",
    streamUsage: "include_usage",
    modelsDevId: "openai",
    developer: "openai",
    embeddings: true,
    images: true,
  },
  openrouter: {
    displayName: "OpenRouter",
    defaultBaseUrl: "https://openrouter.ai/api/v1",
    streamUsage: "include_usage",
    headers: { "x-title": "Edge LLM Gateway" },
    modelsDevId: "openrouter",
    embeddings: true,
  },
  groq: {
    displayName: "Groq",
    defaultBaseUrl: "https://api.groq.com/openai/v1",
    streamUsage: "include_usage",
    modelsDevId: "groq",
  },
  together: {
    displayName: "Together AI",
    defaultBaseUrl: "https://api.together.xyz/v1",
    streamUsage: "include_usage",
    modelsDevId: "togetherai",
    embeddings: true,
    images: true,
  },
  fireworks: {
    displayName: "Fireworks AI",
    defaultBaseUrl: "https://api.fireworks.ai/inference/v1",
    streamUsage: "include_usage",
    modelsDevId: "fireworks-ai",
    embeddings: true,
  },
  deepinfra: {
    displayName: "DeepInfra",
    defaultBaseUrl: "https://api.deepinfra.com/v1/openai",
    streamUsage: "include_usage",
    modelsDevId: "deepinfra",
    embeddings: true,
    images: true,
  },
  cerebras: {
    displayName: "Cerebras",
    defaultBaseUrl: "https://api.cerebras.ai/v1",
    streamUsage: "include_usage",
    modelsDevId: "cerebras",
  },
  xai: {
    displayName: "xAI",
    defaultBaseUrl: "https://api.x.ai/v1",
    streamUsage: "include_usage",
    modelsDevId: "xai",
    images: true,
  },
  // models.dev lists it under its new name, Nebius Token Factory.
  nebius: {
    displayName: "Nebius AI Studio",
    defaultBaseUrl: "https://api.studio.nebius.com/v1",
    streamUsage: "include_usage",
    modelsDevId: "nebius",
    embeddings: true,
    images: true,
  },
  novita: {
    displayName: "Novita AI",
    defaultBaseUrl: "https://api.novita.ai/v3/openai",
    streamUsage: "include_usage",
    modelsDevId: "novita-ai",
  },
  featherless: {
    displayName: "Featherless",
    defaultBaseUrl: "https://api.featherless.ai/v1",
    streamUsage: "include_usage",
  },
  chutes: {
    displayName: "Chutes",
    defaultBaseUrl: "https://llm.chutes.ai/v1",
    streamUsage: "include_usage",
    modelsDevId: "chutes",
  },
  // The router has no complete model list of its own: the Hub says which models have a live provider.
  huggingface: {
    displayName: "Hugging Face Inference Providers",
    defaultBaseUrl: "https://router.huggingface.co/v1",
    streamUsage: "include_usage",
    modelsDevId: "huggingface",
    modelList: { build: buildHubModelListRequest, parse: parseHubModelList },
  },
  // Mistral sends usage in its last chunk unasked.
  mistral: {
    displayName: "Mistral AI",
    defaultBaseUrl: "https://api.mistral.ai/v1",
    streamUsage: "always",
    modelsDevId: "mistral",
    embeddings: true,
  },
  deepseek: {
    displayName: "DeepSeek",
    defaultBaseUrl: "https://api.deepseek.com",
    streamUsage: "include_usage",
    modelsDevId: "deepseek",
  },
  // The international endpoint; models.dev's "alibaba-cn" is the mainland one.
  alibaba: {
    displayName: "Alibaba Cloud Model Studio",
    defaultBaseUrl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    streamUsage: "include_usage",
    modelsDevId: "alibaba",
    embeddings: true,
  },
  aihubmix: {
    displayName: "AIHubMix",
    defaultBaseUrl: "https://aihubmix.com/v1",
    streamUsage: "include_usage",
    modelsDevId: "aihubmix",
  },
  vercel: {
    displayName: "Vercel AI Gateway",
    defaultBaseUrl: "https://ai-gateway.vercel.sh/v1",
    streamUsage: "include_usage",
    modelsDevId: "vercel",
    embeddings: true,
    images: true,
  },
  // Workers AI's OpenAI endpoint is per account: set CLOUDFLARE_BASE_URL (or CLOUDFLARE_ACCOUNT_ID).
  cloudflare: {
    displayName: "Cloudflare Workers AI",
    defaultBaseUrl: "https://api.cloudflare.com/client/v4/accounts/{CLOUDFLARE_ACCOUNT_ID}/ai/v1",
    streamUsage: "include_usage",
    modelsDevId: "cloudflare-workers-ai",
    embeddings: true,
  },
  helicone: {
    displayName: "Helicone AI Gateway",
    defaultBaseUrl: "https://ai-gateway.helicone.ai/v1",
    streamUsage: "include_usage",
    modelsDevId: "helicone",
  },
  near: { displayName: "NEAR AI Cloud", defaultBaseUrl: "https://cloud-api.near.ai/v1", streamUsage: "include_usage" },
  aimo: {
    displayName: "AIMO Network",
    defaultBaseUrl: "https://devnet.aimo.network/api/v1",
    streamUsage: "include_usage",
  },
  anannas: { displayName: "Anannas AI", defaultBaseUrl: "https://api.anannas.ai/v1", streamUsage: "include_usage" },
  akash: {
    displayName: "Akash Chat API",
    defaultBaseUrl: "https://chatapi.akash.network/api/v1",
    streamUsage: "include_usage",
  },
  clarifai: {
    displayName: "Clarifai",
    defaultBaseUrl: "https://api.clarifai.com/v2/ext/openai/v1",
    streamUsage: "include_usage",
  },
  onerouter: { displayName: "OneRouter", defaultBaseUrl: "https://llm.onerouter.pro/v1", streamUsage: "include_usage" },
  morpheus: { displayName: "Morpheus", defaultBaseUrl: "https://api.mor.org/api/v1", streamUsage: "include_usage" },
  // The local stub upstream started by `npm run dev` and the tests; never registered in production.
  stub: {
    displayName: "Local stub",
    defaultBaseUrl: "http://127.0.0.1:0/v1",
    streamUsage: "include_usage",
    developmentOnly: true,
  },
} satisfies Record<string, OpenAiCompatibleVendor>;

export type OpenAiCompatibleVendorId = keyof typeof openAiCompatibleVendors;
