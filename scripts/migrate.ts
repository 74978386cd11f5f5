// `npm run db:migrate`: applies migrations/ to DATABASE_URL (through a local Neon bridge).
import { runMigrations, useBridgeFromNode } from "./local-stack/migrate";
import { startNeonWsBridge } from "./local-stack/neon-ws-bridge";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is required: the Postgres to migrate, e.g. postgres://postgres@127.0.0.1:5432/gateway");
  process.exit(1);
}
const bridge = await startNeonWsBridge();
useBridgeFromNode(bridge.hostPort);
try {
  await runMigrations(databaseUrl);
  console.log("migrations applied");
} finally {
  await bridge.stop();
}
