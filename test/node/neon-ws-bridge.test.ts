// The Neon WebSocket bridge, driven by the real Neon serverless driver, to embedded PGlite and to the
// real PostgreSQL (TEST_DATABASE_URL) when there is one.
import { neon, neonConfig, Pool } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../scripts/local-stack/embedded-postgres";
import { useBridgeFromNode } from "../../scripts/local-stack/migrate";
import { type NeonWsBridge, startNeonWsBridge } from "../../scripts/local-stack/neon-ws-bridge";

const realPostgresUrl = process.env.TEST_DATABASE_URL || undefined;
if (!realPostgresUrl) console.warn("TEST_DATABASE_URL not set: the real-PostgreSQL case of the Neon bridge is skipped");

let bridge: NeonWsBridge;
let pglite: EmbeddedPostgres;

beforeAll(async () => {
  bridge = await startNeonWsBridge();
  useBridgeFromNode(bridge.hostPort);
  pglite = await startEmbeddedPostgres();
});
afterAll(async () => {
  await bridge.stop();
  await pglite.stop();
});

describe("Neon WebSocket bridge", () => {
  it("carries queries with parameters and transactions to PGlite", async () => {
    const pool = new Pool({ connectionString: pglite.url });
    try {
      const { rows } = await pool.query("select $1::int + 1 as answer, version() as version", [41]);
      expect(rows[0].answer).toBe(42);
      expect(rows[0].version).toContain("PGlite");
      const client = await pool.connect();
      await client.query("begin");
      await client.query("create table bridge_probe (id int)");
      await client.query("insert into bridge_probe values (1), (2)");
      await client.query("rollback");
      client.release();
      const after = await pool.query("select to_regclass('bridge_probe') as table_name");
      expect(after.rows[0].table_name).toBeNull();
    } finally {
      await pool.end();
    }
  });

  it.skipIf(!realPostgresUrl)("carries queries to real PostgreSQL", async () => {
    const pool = new Pool({ connectionString: realPostgresUrl });
    try {
      const { rows } = await pool.query("select current_setting('server_version_num')::int as version");
      expect(rows[0].version).toBeGreaterThanOrEqual(130000);
    } finally {
      await pool.end();
    }
  });

  it("hangs up after Terminate, so an ended pool leaves no connection behind", async () => {
    const before = await activeConnections();
    for (let round = 0; round < 5; round++) {
      const pool = new Pool({ connectionString: pglite.url });
      await pool.query("select 1");
      await pool.end();
    }
    // Closing is asynchronous on the server side: poll briefly.
    let after = await activeConnections();
    for (let wait = 0; wait < 20 && after > before; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await activeConnections();
    }
    expect(after).toBe(before);
  });

  it("relays only to loopback addresses", async () => {
    const closeCode = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://${bridge.hostPort}/v2?address=203.0.113.5:5432`);
      socket.on("close", (code) => resolve(code));
      socket.on("error", () => undefined);
    });
    expect(closeCode).toBe(1008);
  });
});

/** TCP connections the bridge holds open to the database. */
async function activeConnections(): Promise<number> {
  return bridge.openConnections();
}

describe("Neon SQL over HTTP (POST /sql on the same bridge)", () => {
  // The real driver's HTTP client, pointed at the bridge as the Worker's is.
  const sqlOver = (connectionString: string) => {
    neonConfig.fetchEndpoint = () => `http://${bridge.hostPort}/sql`;
    return neon(connectionString);
  };

  it("answers the driver's queries with typed values, as Neon's endpoint does", async () => {
    const sql = sqlOver(pglite.url);
    const rows = await sql`select ${41}::int + 1 as answer, 'a''b' as text, null::text as nothing,
      12.5::numeric as amount, now() as at, array[1, 2] as list, true as flag`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ answer: 42, text: "a'b", nothing: null, amount: "12.5", list: [1, 2], flag: true });
    expect(rows[0]?.at).toBeInstanceOf(Date);
  });

  it("passes Postgres errors through with their fields (the driver's error carries the code)", async () => {
    const sql = sqlOver(pglite.url);
    const failure = await sql`select 1 / 0`.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: "22012" });
  });

  it("runs a batch in one transaction: all or nothing", async () => {
    const sql = sqlOver(pglite.url);
    await sql`create table if not exists http_batch_probe (id int primary key)`;
    const batch = sql.transaction([
      sql`insert into http_batch_probe values (1)`,
      sql`insert into http_batch_probe values (1)`,
    ]);
    await expect(batch).rejects.toMatchObject({ code: "23505" });
    expect(await sql`select count(*)::int as n from http_batch_probe`).toEqual([{ n: 0 }]);
    const results = await sql.transaction([
      sql`insert into http_batch_probe values (2)`,
      sql`select id from http_batch_probe`,
    ]);
    expect(results[1]).toEqual([{ id: 2 }]);
    await sql`drop table http_batch_probe`;
  });

  it("serves loopback databases only, and refuses connections during a simulated outage", async () => {
    const foreign = await fetch(`http://${bridge.hostPort}/sql`, {
      method: "POST",
      headers: { "neon-connection-string": "postgres://user@db.example.com:5432/app" },
      body: JSON.stringify({ query: "select 1", params: [] }),
    });
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toEqual({ message: "only loopback databases are served" });
    bridge.setAvailable(false);
    try {
      await expect(sqlOver(pglite.url)`select 1`).rejects.toThrow(/Error connecting to database/);
    } finally {
      bridge.setAvailable(true);
    }
    expect(await sqlOver(pglite.url)`select 1 as one`).toEqual([{ one: 1 }]);
  });
});
