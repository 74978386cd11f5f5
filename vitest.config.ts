import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // The real app inside workerd, against the local stack started by the global setup.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: inject<Record<string, string>>("workerBindings") },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The catalog sync rewrites whole providers' catalogs, so it runs against its own database
        // and mock upstream (this project's global setup starts a second stack), one file at a time.
        // `npm test` runs it after the others: two global setups loading at once race in vite's
        // module runner.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: inject<Record<string, string>>("workerBindings") },
          })),
        ],
        test: {
          name: "catalog",
          include: ["test/catalog/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The local-stack tools (bridges) and the adapters' contract tests against recorded payloads,
        // which read the fixture files directly.
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts", "test/contract/**/*.test.ts"],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
