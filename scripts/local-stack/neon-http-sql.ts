// Neon's SQL-over-HTTP endpoint (`POST /sql`), locally: what the serverless driver's `neon()` client
// (drizzle-orm/neon-http) talks to. One query is one HTTP request, with no connection set-up in the
// Worker; the bridge keeps a small pool of real connections per database, as Neon's proxy does.
// Protocol (as @neondatabase/serverless speaks it): headers Neon-Connection-String, Neon-Array-Mode
// and Neon-Raw-Text-Output; body {query, params} or {queries: [...]} (a batch, run in one
// transaction); answer {command, rowCount, rows (arrays of text), fields} or {results: [...]}; a
// query Postgres rejects is a 400 with Postgres's error fields.
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";

interface SqlQuery {
  query: string;
  params?: unknown[];
}

/** Postgres error fields Neon passes through on a 400 (the driver copies them onto its error). */
const errorFields = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

/** Every value as Postgres sent it, as text: the driver parses by type id, like Neon's own endpoint. */
const rawText = { getTypeParser: () => (value: string) => value };

function answer(result: pg.QueryResult<unknown[]>) {
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields.map((field) => ({ ...field })),
  };
}

function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface SqlOverHttp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends every pooled connection (an outage, or stop). */
  closeAll(): Promise<void>;
}

export function createSqlOverHttp(allowedHosts: Set<string>): SqlOverHttp {
  const pools = new Map<string, pg.Pool>();

  function poolFor(connectionString: string): pg.Pool {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = new pg.Pool({ connectionString, max: 8, idleTimeoutMillis: 30_000 });
      pool.on("error", () => undefined);
      pools.set(connectionString, pool);
    }
    return pool;
  }

  const run = (client: pg.Pool | pg.PoolClient, query: SqlQuery) =>
    client.query<unknown[]>({ text: query.query, values: query.params ?? [], rowMode: "array", types: rawText });

  async function execute(pool: pg.Pool, body: SqlQuery | { queries: SqlQuery[] }, isolation?: string) {
    if (!("queries" in body)) return answer(await run(pool, body));
    const client = await pool.connect();
    try {
      await client.query(`begin${isolation ? ` isolation level ${isolation.replaceAll(/[^A-Za-z ]/g, "")}` : ""}`);
      const results = [];
      for (const query of body.queries) results.push(answer(await run(client, query)));
      await client.query("commit");
      return { results };
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    async handle(req, res) {
      const connectionString = req.headers["neon-connection-string"];
      if (typeof connectionString !== "string" || !URL.canParse(connectionString)) {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "Neon-Connection-String header is required" }));
        return;
      }
      if (!allowedHosts.has(new URL(connectionString).hostname)) {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "only loopback databases are served" }));
        return;
      }
      let body: SqlQuery | { queries: SqlQuery[] };
      try {
        body = JSON.parse(await readBody(req)) as SqlQuery | { queries: SqlQuery[] };
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: "malformed JSON" }));
        return;
      }
      try {
        const isolation = req.headers["neon-batch-isolation-level"];
        const result = await execute(
          poolFor(connectionString),
          body,
          typeof isolation === "string" ? isolation : undefined,
        );
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
      } catch (error) {
        if (isDatabaseError(error)) {
          const fields = Object.fromEntries(errorFields.map((name) => [name, error[name]]));
          res
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ message: error.message, ...fields }));
          return;
        }
        // Unreachable database: a 5xx, which the driver reports as a server error.
        res.writeHead(503, { "content-type": "text/plain" }).end(`database unreachable: ${String(error)}`);
      }
    },
    async closeAll() {
      const ending = [...pools.values()].map((pool) => pool.end().catch(() => undefined));
      pools.clear();
      await Promise.all(ending);
    },
  };
}
