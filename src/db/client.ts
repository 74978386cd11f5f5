// One Neon Pool per request (Workers forbid sharing I/O objects across requests), closed after the
// response. Locally the Neon driver reaches Postgres/PGlite through a WebSocket-to-TCP bridge.
import { neon, neonConfig, Pool } from "@neondatabase/serverless";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzleHttp, NeonHttpDatabase } from "drizzle-orm/neon-http";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { type Config, requireSetting } from "../env";
import * as schema from "./schema";

/** A pooled WebSocket session: transactions, and several queries in a row. */
export type Database = NeonDatabase<typeof schema>;
/** SQL over HTTP: one statement is one fetch, with no connection to set up (the hot path's writes). */
export type SqlDatabase = NeonHttpDatabase<typeof schema>;
/** Either driver, for one-statement queries (see `queryRows`). */
export type AnyDatabase = Database | SqlDatabase;

let configuredProxy: string | undefined;

/** Points the driver at a local bridge; in production (no NEON_WS_PROXY) the defaults stand. */
function useLocalBridge(hostPort: string): void {
  if (configuredProxy === hostPort) return;
  neonConfig.wsProxy = (host, port) => `${hostPort}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  configuredProxy = hostPort;
}

/**
 * SQL over HTTP goes to the bridge registered for the query's database (the bridge also answers
 * Neon's `/sql` endpoint). Routed per request by its connection string, so two local bridges in one
 * isolate (the outage test's) never take each other's queries.
 */
const sqlBridges = new Map<string, string>();

const databaseKeys = new Map<string, string>();

function databaseKey(connectionString: string): string {
  let key = databaseKeys.get(connectionString);
  if (key === undefined) {
    const url = new URL(connectionString);
    // The driver adds its own application_name; a configured one tells databases apart.
    const app = url.searchParams.get("application_name") ?? "";
    key = `${url.username}@${url.host}${url.pathname}|${app.startsWith("pkg:npm/") ? "" : app}`;
    if (databaseKeys.size > 100) databaseKeys.clear();
    databaseKeys.set(connectionString, key);
  }
  return key;
}

function useLocalSqlBridge(hostPort: string, connectionString: string): void {
  sqlBridges.set(databaseKey(connectionString), hostPort);
  neonConfig.fetchFunction = (input: string, init: RequestInit) => {
    const target = new Headers(init.headers).get("neon-connection-string") ?? "";
    const bridge = sqlBridges.get(databaseKey(target));
    if (!bridge) return Promise.reject(new Error(`no local SQL bridge for ${databaseKey(target)} (${input})`));
    return fetch(`http://${bridge}/sql`, init);
  };
}

export interface DatabaseHandle {
  db: Database;
  close(): Promise<void>;
}

export function openDatabase(config: Config): DatabaseHandle {
  const connectionString = requireSetting(config, "DATABASE_URL");
  if (config.NEON_WS_PROXY) useLocalBridge(config.NEON_WS_PROXY);
  const pool = new Pool({ connectionString, max: 4, connectionTimeoutMillis: 5_000 });
  // An idle client's connection error must not crash the request: it surfaces on the next query.
  pool.on("error", () => undefined);
  return { db: drizzle({ client: pool, schema }), close: () => pool.end() };
}

const sqlDatabases = new Map<string, SqlDatabase>();

/** The HTTP driver holds no I/O object, so one per connection string serves the whole isolate. */
export function openSqlDatabase(config: Config): SqlDatabase {
  const connectionString = requireSetting(config, "DATABASE_URL");
  if (config.NEON_WS_PROXY) useLocalSqlBridge(config.NEON_WS_PROXY, connectionString);
  let db = sqlDatabases.get(connectionString);
  if (!db) {
    db = drizzleHttp({ client: neon(connectionString), schema });
    sqlDatabases.set(connectionString, db);
  }
  return db;
}

/** Runs one statement on either driver and returns its rows (columns as the driver parsed them). */
export async function queryRows(db: AnyDatabase, query: SQL): Promise<Record<string, unknown>[]> {
  if (db instanceof NeonHttpDatabase) return (await db.execute(query)).rows;
  return (await db.execute(query)).rows;
}

/** Postgres error code of a failed query, if it is one (drizzle wraps the driver's error in `cause`). */
export function postgresErrorCode(error: unknown): { code?: string; constraint?: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current; depth++) {
    if (typeof current === "object" && current !== null && "code" in current && typeof current.code === "string") {
      const constraint =
        "constraint" in current && typeof current.constraint === "string" ? current.constraint : undefined;
      return { code: current.code, constraint };
    }
    current = typeof current === "object" && current !== null && "cause" in current ? current.cause : undefined;
  }
  return {};
}

/**
 * True when a failure is the database being unreachable (connection refused or dropped, timeout)
 * rather than a query the database rejected: the first is a 503, the second a bug (500).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code } = postgresErrorCode(error);
  if (code && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("08") && !code.startsWith("57P")) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    if (
      /connection terminated|ECONNREFUSED|connect(ion)? timeout|timeout exceeded when trying to connect|WebSocket|Network connection lost|Error connecting to database|Server error \(HTTP status 5/i.test(
        current.message,
      )
    ) {
      return true;
    }
    current = current.cause;
  }
  return code !== undefined && (code.startsWith("08") || code.startsWith("57P"));
}
