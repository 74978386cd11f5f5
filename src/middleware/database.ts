import { createMiddleware } from "hono/factory";
import { type DatabaseHandle, openDatabase } from "../db/client";
import type { AppEnv } from "../env";

/** Exposes `c.var.db()`: the pool opens on first use only (so /health does no I/O) and closes after the response. */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  let handle: DatabaseHandle | undefined;
  c.set("db", () => {
    handle ??= openDatabase(c.var.config);
    return handle.db;
  });
  try {
    await next();
  } finally {
    if (handle) {
      const closing = handle.close().catch(() => undefined);
      try {
        c.executionCtx.waitUntil(closing);
      } catch {
        // No execution context (unit use of the app): closing was started anyway.
      }
    }
  }
});
