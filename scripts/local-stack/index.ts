// The local stack behind `npm run dev` and the tests: Postgres (given, or embedded PGlite), the Neon
// WebSocket bridge, the Upstash REST bridge (over Redis, or an embedded store) and the stub upstream.
import { randomBytes } from "node:crypto";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres";
import { createScratchDatabase, dropDatabase, runMigrations, useBridgeFromNode } from "./migrate";
import { type NeonWsBridge, startNeonWsBridge } from "./neon-ws-bridge";
import { type StubUpstream, startStubUpstream } from "./stub-upstream";
import { startUpstashBridge, type UpstashBridge } from "./upstash-bridge";

export interface LocalStackOptions {
  /** A real Postgres; without it PGlite is embedded. */
  databaseUrl?: string;
  /** With databaseUrl: create a new database beside it for this run, and drop it on stop. */
  freshDatabase?: boolean;
  /** PGlite data directory (persisted dev data); omit for in-memory. */
  pgliteDataDir?: string;
  /** A real Redis behind the Upstash bridge; without it an in-memory store is embedded. */
  redisUrl?: string;
  /** A real Upstash; when given, no bridge is started. */
  upstash?: { url: string; token: string };
}

export interface LocalStack {
  /** Bindings for the Worker. */
  readonly vars: Record<string, string>;
  readonly databaseUrl: string;
  readonly description: { postgres: string; redis: string };
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    let databaseUrl: string;
    let postgresDescription: string;
    let embedded: EmbeddedPostgres | undefined;
    if (options.databaseUrl) {
      databaseUrl = options.databaseUrl;
      postgresDescription = `PostgreSQL at ${new URL(options.databaseUrl).host}`;
    } else {
      embedded = await startEmbeddedPostgres({ dataDir: options.pgliteDataDir });
      stoppers.push(() => embedded?.stop() ?? Promise.resolve());
      databaseUrl = embedded.url;
      postgresDescription = `embedded PGlite (${options.pgliteDataDir ?? "in memory"})`;
    }

    const bridge: NeonWsBridge = await startNeonWsBridge();
    stoppers.push(() => bridge.stop());
    useBridgeFromNode(bridge.hostPort);

    if (options.databaseUrl && options.freshDatabase) {
      const name = `gw_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
      const adminUrl = options.databaseUrl;
      databaseUrl = await createScratchDatabase(adminUrl, name);
      stoppers.push(() => dropDatabase(adminUrl, name));
      postgresDescription += ` (fresh database ${name})`;
    }
    await runMigrations(databaseUrl);

    let upstash = options.upstash;
    let redisDescription = "Upstash";
    if (!upstash) {
      const upstashBridge: UpstashBridge = await startUpstashBridge({
        redisUrl: options.redisUrl,
        token: randomBytes(16).toString("hex"),
      });
      stoppers.push(() => upstashBridge.stop());
      upstash = { url: upstashBridge.url, token: upstashBridge.token };
      redisDescription = options.redisUrl
        ? `Redis at ${new URL(options.redisUrl).host} via the Upstash bridge`
        : "embedded in-memory store via the Upstash bridge";
    }

    const stub: StubUpstream = await startStubUpstream();
    stoppers.push(() => stub.stop());

    return {
      vars: {
        DATABASE_URL: databaseUrl,
        NEON_WS_PROXY: bridge.hostPort,
        UPSTASH_REDIS_REST_URL: upstash.url,
        UPSTASH_REDIS_REST_TOKEN: upstash.token,
        STUB_BASE_URL: stub.url,
        STUB_API_KEY: "stub",
      },
      databaseUrl,
      description: { postgres: postgresDescription, redis: redisDescription },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
