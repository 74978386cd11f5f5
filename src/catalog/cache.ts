// The catalog read APIs serve from an in-isolate snapshot of the active catalog. A sync in this
// isolate drops it at once; other isolates notice a sync within VERSION_CHECK_MS by comparing the
// catalog version (one small query) and reload; after the TTL they reload regardless.

import {
  type CatalogEntry,
  type CatalogProviderRow,
  loadActiveCatalog,
  loadCatalogProviders,
  readCatalogVersion,
} from "../db/catalog-reads";
import type { Database } from "../db/client";

export interface CatalogSnapshot {
  models: CatalogEntry[];
  providers: CatalogProviderRow[];
  version: string;
  loadedAt: number;
}

const VERSION_CHECK_MS = 5_000;

let snapshot: CatalogSnapshot | undefined;
let versionCheckedAt = 0;
let loading: Promise<CatalogSnapshot> | undefined;
let generation = 0;

async function load(db: Database): Promise<CatalogSnapshot> {
  const version = await readCatalogVersion(db);
  const [models, providers] = await Promise.all([loadActiveCatalog(db), loadCatalogProviders(db)]);
  return { models, providers, version, loadedAt: Date.now() };
}

export async function catalogSnapshot(db: Database, ttlSeconds: number): Promise<CatalogSnapshot> {
  const now = Date.now();
  if (snapshot && now - snapshot.loadedAt < ttlSeconds * 1000) {
    if (now - versionCheckedAt < VERSION_CHECK_MS) return snapshot;
    const version = await readCatalogVersion(db);
    versionCheckedAt = Date.now();
    if (snapshot && version === snapshot.version) return snapshot;
  }
  // One load per isolate at a time; concurrent readers share it. A load that an invalidation
  // overtook is returned to its callers but not kept.
  const startedGeneration = generation;
  loading ??= load(db).finally(() => {
    loading = undefined;
  });
  const fresh = await loading;
  if (startedGeneration === generation) {
    snapshot = fresh;
    versionCheckedAt = Date.now();
  }
  return fresh;
}

/** The snapshot as it stands, without loading (the admin cache-status endpoints). */
export function currentSnapshot(): CatalogSnapshot | undefined {
  return snapshot;
}

/** Drops this isolate's snapshot: the next read loads the catalog again. */
export function invalidateCatalog(): void {
  snapshot = undefined;
  loading = undefined;
  versionCheckedAt = 0;
  generation++;
}
