// The models.dev community catalog (prices per 1M tokens, limits, modalities) fills what a provider's
// own model list leaves out: OpenAI's, Anthropic's and Gemini's lists carry no prices at all. Fetched
// at most once an hour per isolate; when it is unreachable the sync goes on with the provider's data.

import { parseModelsDev } from "../providers/models-dev";
import type { ListedModel } from "../providers/types";

export type ModelsDevCatalog = Map<string, Map<string, ListedModel>>;

const REFRESH_MS = 60 * 60 * 1000;
let cached: { url: string; loadedAt: number; catalog: ModelsDevCatalog } | undefined;

export async function loadModelsDev(url: string): Promise<{ catalog?: ModelsDevCatalog; error?: string }> {
  if (url === "off") return {};
  if (cached && cached.url === url && Date.now() - cached.loadedAt < REFRESH_MS) return { catalog: cached.catalog };
  try {
    const response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) return { error: `models.dev answered HTTP ${response.status}` };
    const catalog = parseModelsDev(await response.json());
    cached = { url, loadedAt: Date.now(), catalog };
    return { catalog };
  } catch (error) {
    return { error: `models.dev unavailable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Forgets the fetched copy (tests, and an admin refresh). */
export function forgetModelsDev(): void {
  cached = undefined;
}
