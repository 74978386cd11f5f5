import { createMiddleware } from "hono/factory";
import { type DatabaseHandle, openDatabase } from "../db/client";
import type { AppEnv } from "../env";

/**
 * Exposes `c.var.db()` (the pool opens on first use only, so /health does no I/O) and
 * `c.var.defer(work)` for work that finishes after the response. The pool closes once the response
 * is out and every deferred piece of work has settled.
 */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  let handle: DatabaseHandle | undefined;
  const deferred: Promise<unknown>[] = [];
  c.set("db", () => {
    handle ??= openDatabase(c.var.config);
    return handle.db;
  });
  c.set("defer", (work) => {
    const settled = work.catch((error: unknown) => {
      console.error(JSON.stringify({ msg: "deferred work failed", request_id: c.var.requestId, error: String(error) }));
      c.var.sentry?.captureException(error);
    });
    deferred.push(settled);
    c.executionCtx.waitUntil(settled);
  });
  try {
    await next();
  } finally {
    if (handle || deferred.length > 0) {
      const closing = Promise.allSettled(deferred).then(() => handle?.close().catch(() => undefined));
      c.executionCtx.waitUntil(closing);
    }
  }
});
