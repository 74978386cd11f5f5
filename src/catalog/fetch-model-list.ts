// Fetches a provider's complete model list: every page, until the provider says there are no more
// (seed 002's bug was stopping after the first page of 100). Pages are held in memory: a list is a few
// thousand small entries, and nothing may be written until the whole list has arrived.
import type { ListedModel, ProviderAdapter, ProviderSettings } from "../providers/types";

/** A model list that could not be fetched whole; `page` is 1-based. */
export class ModelListError extends Error {
  constructor(
    message: string,
    readonly page: number,
  ) {
    super(message);
    this.name = "ModelListError";
  }
}

export interface FetchedModelList {
  models: ListedModel[];
  pages: number;
}

const PAGE_TIMEOUT_MS = 30_000;

async function fetchPage(
  adapter: ProviderAdapter,
  settings: ProviderSettings,
  cursor: string | undefined,
  page: number,
): Promise<{ models: ListedModel[]; nextCursor?: string }> {
  let response: Response;
  try {
    const request = adapter.buildModelListRequest(settings, cursor);
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ModelListError(`page ${page}: ${error instanceof Error ? error.message : String(error)}`, page);
  }
  const text = await response.text();
  if (!response.ok) {
    const detail = adapter.parseError(response.status, text, response.headers).message;
    throw new ModelListError(`page ${page} answered HTTP ${response.status}: ${detail}`, page);
  }
  try {
    return adapter.parseModelList(JSON.parse(text), response.headers);
  } catch (error) {
    throw new ModelListError(
      `page ${page} is not a model list: ${error instanceof Error ? error.message : error}`,
      page,
    );
  }
}

export async function fetchCompleteModelList(
  adapter: ProviderAdapter,
  settings: ProviderSettings,
  maxPages: number,
): Promise<FetchedModelList> {
  const models: ListedModel[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > maxPages) {
      throw new ModelListError(`more than ${maxPages} pages (MODEL_SYNC_MAX_PAGES): refusing a runaway list`, page);
    }
    const result = await fetchPage(adapter, settings, cursor, page);
    models.push(...result.models);
    if (result.nextCursor === undefined) return { models, pages: page };
    if (seenCursors.has(result.nextCursor)) {
      throw new ModelListError(`page ${page} pointed back to an earlier page: pagination loop`, page);
    }
    seenCursors.add(result.nextCursor);
    cursor = result.nextCursor;
  }
}
