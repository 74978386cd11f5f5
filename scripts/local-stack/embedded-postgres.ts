// Embedded PostgreSQL for machines without one: PGlite served over the Postgres wire protocol.
// PGlite is a single session; the socket server multiplexes connections by queueing queries,
// so concurrent transactions interleave. Good for dev and functional tests, not for race tests.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/** `dataDir` persists the database (dev); omit it for a throwaway in-memory one (tests). */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: 64,
    debug: process.env.PGLITE_DEBUG === "1",
  });
  await server.start();
  const port = server.getServerConn().split(":").pop();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
