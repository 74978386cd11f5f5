// A local server that speaks the Upstash Redis REST protocol (`POST /` with a command array,
// `/pipeline`, `/multi-exec`, Bearer token, `upstash-encoding: base64`) in front of a real Redis
// (`REDIS_URL`) or, when none is given, an embedded in-memory store (ioredis-mock, Lua via fengari).
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Redis from "ioredis";
import RedisMock from "ioredis-mock";

export interface UpstashBridge {
  readonly url: string;
  readonly token: string;
  /** "redis" when backed by a real server, "memory" for the embedded store. */
  readonly backend: "redis" | "memory";
  stop(): Promise<void>;
}

type RedisCommand = [string, ...(string | number)[]];
type RedisClient = Pick<Redis, "call" | "quit" | "disconnect" | "pipeline" | "multi">;

/**
 * `@upstash/ratelimit` starts its scripts with `#!lua flags=allow-key-locking`, a flag only Upstash
 * understands; real Redis rejects it. Strip it and remember which stripped script each original
 * SHA stands for, so EVALSHA with the client's SHA still finds the script.
 */
const upstashOnlyShebang = /^#!lua[^\n]*\n/;

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

class LuaScripts {
  private readonly byOriginalSha = new Map<string, string>();

  strip(script: string): string {
    if (!upstashOnlyShebang.test(script)) return script;
    const stripped = script.replace(upstashOnlyShebang, "");
    this.byOriginalSha.set(sha1(script), stripped);
    return stripped;
  }

  lookup(sha: string): string | undefined {
    return this.byOriginalSha.get(sha.toLowerCase());
  }
}

/**
 * Redis replies are never maps, but ioredis (and ioredis-mock) reshape some, e.g. HGETALL into an
 * object; Upstash answers the flat [field, value, …] array its client expects.
 */
function asRedisReply(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asRedisReply);
  if (value !== null && typeof value === "object" && !Buffer.isBuffer(value)) {
    return Object.entries(value).flatMap(([field, inner]) => [field, asRedisReply(inner)]);
  }
  return value;
}

function encodeResult(value: unknown, base64: boolean): unknown {
  const reply = asRedisReply(value);
  if (!base64) return reply;
  if (typeof reply === "string") return Buffer.from(reply, "utf8").toString("base64");
  if (Array.isArray(reply)) return reply.map((element) => encodeResult(element, base64));
  return reply;
}

async function execute(client: RedisClient, scripts: LuaScripts, command: RedisCommand): Promise<unknown> {
  const [rawName, ...args] = command;
  const name = rawName.toUpperCase();
  const stringArgs = args.map(String);
  if ((name === "EVAL" || name === "EVAL_RO") && stringArgs.length > 0) {
    const script = scripts.strip(stringArgs[0] ?? "");
    return client.call("EVAL", script, ...stringArgs.slice(1));
  }
  if ((name === "EVALSHA" || name === "EVALSHA_RO") && stringArgs.length > 0) {
    const stripped = scripts.lookup(stringArgs[0] ?? "");
    if (stripped === undefined) return client.call("EVALSHA", ...stringArgs);
    try {
      return await client.call("EVALSHA", sha1(stripped), ...stringArgs.slice(1));
    } catch (error) {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return client.call("EVAL", stripped, ...stringArgs.slice(1));
    }
  }
  if (name === "SCRIPT" && stringArgs[0]?.toUpperCase() === "LOAD" && stringArgs[1] !== undefined) {
    const original = stringArgs[1];
    const stripped = scripts.strip(original);
    if (stripped !== original) {
      // Make EVALSHA(original SHA) work right away, whether the store has SCRIPT LOAD or not.
      await client.call("SCRIPT", "LOAD", stripped).catch(() => undefined);
      return sha1(original);
    }
  }
  return client.call(name, ...stringArgs);
}

/** For batches: the same rewrites as `execute`, but EVALSHA of a known script becomes EVAL (no retry inside a batch). */
function prepareForBatch(scripts: LuaScripts, command: RedisCommand): string[] {
  const [rawName, ...args] = command;
  const name = rawName.toUpperCase();
  const stringArgs = args.map(String);
  if ((name === "EVAL" || name === "EVAL_RO") && stringArgs.length > 0) {
    return ["EVAL", scripts.strip(stringArgs[0] ?? ""), ...stringArgs.slice(1)];
  }
  if ((name === "EVALSHA" || name === "EVALSHA_RO") && stringArgs.length > 0) {
    const stripped = scripts.lookup(stringArgs[0] ?? "");
    if (stripped !== undefined) return ["EVAL", stripped, ...stringArgs.slice(1)];
  }
  return [name, ...stringArgs];
}

type BatchResult = { result?: unknown; error?: string }[];

/**
 * The embedded store's batches cannot run Lua, so it runs a batch command by command; the lock keeps
 * a MULTI/EXEC batch from interleaving with other requests (everything else is a single command).
 */
function sequentialBatches(client: RedisClient, scripts: LuaScripts) {
  let tail: Promise<unknown> = Promise.resolve();
  return (commands: RedisCommand[]): Promise<BatchResult> => {
    const run = tail.then(async () => {
      const results: BatchResult = [];
      for (const command of commands) {
        try {
          results.push({ result: await execute(client, scripts, command) });
        } catch (error) {
          results.push({ error: errorText(error) });
        }
      }
      return results;
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

async function redisBatch(
  client: RedisClient,
  scripts: LuaScripts,
  commands: RedisCommand[],
  atomic: boolean,
): Promise<BatchResult> {
  // ioredis batches take method names (lower case); a command without a method goes through `call`.
  const prepared = commands.map((command) => {
    const [name, ...args] = prepareForBatch(scripts, command);
    const method = (name ?? "").toLowerCase();
    return method in client ? [method, ...args] : ["call", name, ...args];
  });
  const batch = atomic ? client.multi(prepared) : client.pipeline(prepared);
  const replies = (await batch.exec()) ?? [];
  return replies.map(([error, result]) => (error ? { error: errorText(error) } : { result }));
}

/** ioredis-mock has methods per command but no generic `call`; give it one. */
function embeddedStore(): RedisClient {
  const mock = new RedisMock();
  const methods = mock as unknown as Record<string, unknown>;
  const call = (name: string, ...args: (string | number)[]): Promise<unknown> => {
    const method = methods[name.toLowerCase()];
    if (typeof method !== "function") return Promise.reject(new Error(`ERR unknown command '${name}'`));
    return Promise.resolve(method.apply(mock, args));
  };
  return Object.assign(mock, { call }) as unknown as RedisClient;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function isCommand(value: unknown): value is RedisCommand {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "string";
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startUpstashBridge(options: {
  redisUrl?: string;
  token: string;
  port?: number;
}): Promise<UpstashBridge> {
  const client: RedisClient = options.redisUrl
    ? new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 })
    : embeddedStore();
  const scripts = new LuaScripts();
  const runSequentially = sequentialBatches(client, scripts);
  const executeBatch = (commands: RedisCommand[], atomic: boolean) =>
    options.redisUrl ? redisBatch(client, scripts, commands, atomic) : runSequentially(commands);

  const server = createServer(async (req, res) => {
    if (!tokenMatches(req.headers.authorization, options.token)) {
      send(res, 401, { error: "Unauthorized: invalid or missing token" });
      return;
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(req));
    } catch {
      send(res, 400, { error: "ERR request body is not valid JSON" });
      return;
    }
    const path = new URL(req.url ?? "/", "http://bridge").pathname.replace(/\/+$/, "");

    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(parsed) || !parsed.every(isCommand)) {
        send(res, 400, { error: "ERR body must be an array of commands" });
        return;
      }
      let results: { result?: unknown; error?: string }[];
      try {
        results = await executeBatch(parsed, path === "/multi-exec");
      } catch (error) {
        send(res, 400, { error: errorText(error) });
        return;
      }
      for (const entry of results) if ("result" in entry) entry.result = encodeResult(entry.result, base64);
      send(res, 200, results);
      return;
    }

    if (!isCommand(parsed)) {
      send(res, 400, { error: "ERR body must be a command array" });
      return;
    }
    try {
      send(res, 200, { result: encodeResult(await execute(client, scripts, parsed), base64) });
    } catch (error) {
      send(res, 400, { error: errorText(error) });
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("upstash bridge failed to bind");
  return {
    url: `http://127.0.0.1:${address.port}`,
    token: options.token,
    backend: options.redisUrl ? "redis" : "memory",
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.redisUrl) await client.quit().catch(() => client.disconnect());
    },
  };
}
