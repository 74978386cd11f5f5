import type { Env as GatewayEnv } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends GatewayEnv {
      TEST_POSTGRES_KIND: "postgres" | "pglite";
      TEST_REDIS_KIND: "redis" | "memory";
      TEST_SENTRY_DSN: string;
      TEST_SENTRY_EVENTS_URL: string;
      TEST_MOCK_UPSTREAM_URL: string;
      TEST_SWITCHABLE_NEON_WS_PROXY: string;
      TEST_IDENTITY_PRIVATE_JWK: string;
      TEST_FAKE_EMAIL_URL: string;
      TEST_FAKE_SERVICES_URL: string;
    }
  }
}
