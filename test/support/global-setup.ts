// Starts the local stack once per run: a fresh database (TEST_DATABASE_URL's server, else embedded
// PGlite), the Neon and Upstash bridges (TEST_REDIS_URL, else an in-memory store), the stub upstream.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startLocalStack } from "../../scripts/local-stack";
import { startNeonWsBridge } from "../../scripts/local-stack/neon-ws-bridge";
import { testBindings } from "./bindings";
import { startFakeIdentityAndEmail } from "./fake-identity";
import { startFakeServices } from "./fake-services";
import { mockProviderBindings, startMockUpstream } from "./mock-upstream";
import { startSentrySink } from "./sentry-sink";

declare module "vitest" {
  export interface ProvidedContext {
    workerBindings: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
  const redisUrl = process.env.TEST_REDIS_URL || undefined;
  const stack = await startLocalStack({ databaseUrl, freshDatabase: true, redisUrl });
  console.log(`[test stack] ${stack.description.postgres}; ${stack.description.redis}`);
  // Real Redis outlives the run's fresh database: per-key and per-user counters of an earlier run
  // would meet the same ids again (keys 1, 2, …). Ids of this run start far from any earlier run's.
  if (redisUrl && databaseUrl) await offsetIdSequences(stack.databaseUrl);
  const sentrySink = await startSentrySink();
  const identityAndEmail = await startFakeIdentityAndEmail();
  const fakeServices = await startFakeServices();
  const mockUpstream = await startMockUpstream();
  // A second bridge to the same database that one test switches off to simulate an outage
  // (the stack's own bridge must stay up for the test files running alongside).
  const switchableBridge = await startNeonWsBridge();
  project.provide("workerBindings", {
    ...testBindings,
    ...stack.vars,
    TEST_POSTGRES_KIND: databaseUrl ? "postgres" : "pglite",
    TEST_REDIS_KIND: redisUrl ? "redis" : "memory",
    // Not SENTRY_DSN itself: only the test that checks reporting turns Sentry on.
    TEST_SENTRY_DSN: sentrySink.dsn,
    TEST_SENTRY_EVENTS_URL: sentrySink.eventsUrl,
    TEST_MOCK_UPSTREAM_URL: mockUpstream.url,
    TEST_SWITCHABLE_NEON_WS_PROXY: switchableBridge.hostPort,
    ...mockProviderBindings(mockUpstream.url),
    ...identityAndEmail.bindings,
    TEST_FAKE_SERVICES_URL: fakeServices.url,
  });
  return async () => {
    await sentrySink.stop();
    await identityAndEmail.stop();
    await fakeServices.stop();
    await mockUpstream.stop();
    await switchableBridge.stop();
    await stack.stop();
  };
}

async function offsetIdSequences(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const start = (Date.now() % 1_000_000) * 1_000;
    for (const sequence of ["users_id_seq", "api_keys_id_seq"]) {
      await client.query("select setval($1, $2)", [sequence, start]);
    }
  } finally {
    await client.end();
  }
}
