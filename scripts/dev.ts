// `npm run dev`: the whole gateway on this machine with nothing but Node 22 and `npm install`.
// Postgres: DATABASE_URL, else embedded PGlite in .local-stack/pgdata. Redis: UPSTASH_REDIS_REST_URL/TOKEN,
// else the Upstash bridge over REDIS_URL, else an in-memory store. Then `wrangler dev` on PORT.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isConfigVariable } from "../src/env";
import { startLocalStack } from "./local-stack";
import { STUB_MODEL, seedDevData } from "./local-stack/seed";

const stateDir = ".local-stack";
const port = Number(process.env.PORT ?? 8787);

function parseEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = (match[2] ?? "").replace(/^(['"])(.*)\1$/, "$2");
  }
  return vars;
}

async function main(): Promise<void> {
  mkdirSync(stateDir, { recursive: true });
  const upstashUrl = process.env.UPSTASH_REDIS_REST_URL;
  const upstashToken = process.env.UPSTASH_REDIS_REST_TOKEN;
  const stack = await startLocalStack({
    databaseUrl: process.env.DATABASE_URL,
    pgliteDataDir: `${stateDir}/pgdata`,
    redisUrl: process.env.REDIS_URL,
    upstash: upstashUrl && upstashToken ? { url: upstashUrl, token: upstashToken } : undefined,
  });
  const keys = await seedDevData(stack.databaseUrl, `${stateDir}/dev-keys.json`);

  // Precedence: the stack's values < .dev.vars < the process environment.
  const fromProcess = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => isConfigVariable(entry[0]) && entry[1] !== undefined,
    ),
  );
  const vars: Record<string, string> = {
    ENVIRONMENT: "development",
    ADMIN_API_KEY: keys.adminApiKey,
    ...stack.vars,
    ...parseEnvFile(".dev.vars"),
    ...fromProcess,
  };
  const envFile = `${stateDir}/worker.env`;
  writeFileSync(
    envFile,
    `${Object.entries(vars)
      .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      .join("\n")}\n`,
    {
      mode: 0o600,
    },
  );

  const wrangler = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );

  const base = `http://127.0.0.1:${port}`;
  console.log(`
  Edge LLM Gateway (development)
    URL:        ${base}   (docs: ${base}/docs, OpenAPI: ${base}/openapi.json)
    Postgres:   ${stack.description.postgres}
    Redis:      ${stack.description.redis}
    Admin key:  ${vars.ADMIN_API_KEY}   (ADMIN_API_KEY)
    Admin user: ${keys.adminUserKey}
    Demo user:  ${keys.demoUserKey}   ($5 of credits)

    curl ${base}/user/balance -H "Authorization: Bearer ${keys.demoUserKey}"
    curl ${base}/v1/chat/completions -H "Authorization: Bearer ${keys.demoUserKey}" \\
      -H 'content-type: application/json' -d '{"model": "stub/${STUB_MODEL}", "messages": [{"role": "user", "content": "Hi"}]}'
`);

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    wrangler.kill("SIGINT");
    await stack.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  wrangler.on("exit", (code) => void shutdown(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
