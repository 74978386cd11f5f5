import { createMiddleware } from "hono/factory";
import { type DatabaseHandle, openDatabase, openSqlDatabase } from "../db/client";
import type { AppEnv } from "../env";

/**
 * Exposes `c.var.db()` (the pool opens on first use only, so /health does no I/O),
 * `c.var.defer(work)` for work that finishes after the response, and `c.var.hold()` for a response
 * body that is still being produced (a stream) and will need the database when it ends. The pool
 * closes once the handler has returned, every hold is released and every deferred work has settled.
 */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  let handle: DatabaseHandle | undefined;
  let outstanding = 1; // the request itself
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const release = () => {
    outstanding -= 1;
    if (outstanding === 0) allDone();
  };

  c.set("db", () => {
    handle ??= openDatabase(c.var.config);
    return handle.db;
  });
  c.set("sql", () => openSqlDatabase(c.var.config));
  c.set("defer", (work) => {
    outstanding += 1;
    const settled = work
      .catch((error: unknown) => {
        console.error(
          JSON.stringify({ msg: "deferred work failed", request_id: c.var.requestId, error: String(error) }),
        );
        c.var.sentry?.captureException(error);
      })
      .finally(release);
    c.executionCtx.waitUntil(settled);
  });
  c.set("hold", () => {
    outstanding += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  });
  try {
    await next();
  } finally {
    release();
    c.executionCtx.waitUntil(finished.then(() => handle?.close().catch(() => undefined)));
  }
});
