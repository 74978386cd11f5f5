// The Neon WebSocket bridge, driven by the real Neon serverless driver, to embedded PGlite and to the
// real PostgreSQL (TEST_DATABASE_URL) when there is one.
import { Pool } from "@neondatabase/serverless";
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
