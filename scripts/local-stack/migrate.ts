// Applies migrations/ through the Neon driver (over the local bridge), the same driver the Worker uses.
import { fileURLToPath } from "node:url";
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import { WebSocket } from "ws";

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

/** Node has no Workers runtime: give the driver a WebSocket class and route it through the bridge. */
export function useBridgeFromNode(bridgeHostPort: string): void {
  neonConfig.webSocketConstructor = WebSocket;
  neonConfig.wsProxy = (host, port) => `${bridgeHostPort}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

export async function withPool<T>(databaseUrl: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on("error", () => undefined);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

export async function runMigrations(databaseUrl: string): Promise<void> {
  await withPool(databaseUrl, (pool) => migrate(drizzle({ client: pool }), { migrationsFolder }));
}

/** A new, empty database next to the one `adminUrl` points at; returns its URL. */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  await withPool(adminUrl, (pool) => pool.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  await withPool(adminUrl, (pool) => pool.query(`drop database if exists ${name} with (force)`));
}
