// One Neon Pool per request (Workers forbid sharing I/O objects across requests), closed after the
// response. Locally the Neon driver reaches Postgres/PGlite through a WebSocket-to-TCP bridge.
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { type Config, requireSetting } from "../env";
import * as schema from "./schema";

export type Database = NeonDatabase<typeof schema>;

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
      /connection terminated|ECONNREFUSED|connect(ion)? timeout|timeout exceeded when trying to connect|WebSocket|Network connection lost/i.test(
        current.message,
      )
    ) {
      return true;
    }
    current = current.cause;
  }
  return code !== undefined && (code.startsWith("08") || code.startsWith("57P"));
}
