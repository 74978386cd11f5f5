import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { call, errorOf, origin } from "../support/gateway";

describe("request id", () => {
  it("generates one when the caller sends none", async () => {
    const response = await call("/health");
    expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("keeps a well-formed caller id and replaces a malformed one", async () => {
    const kept = await call("/health", { headers: { "x-request-id": "trace-abc.123" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-abc.123");
    const replaced = await call("/health", { headers: { "x-request-id": "bad id with spaces" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("is on error responses too", async () => {
    const response = await call("/nope", { headers: { "x-request-id": "err-1" } });
    expect(response.headers.get("x-request-id")).toBe("err-1");
  });
});

describe("error envelope", () => {
  it("answers unknown routes with 404 in the envelope", async () => {
    const response = await call("/v0/unknown");
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      error: { message: "No route for GET /v0/unknown", type: "not_found_error", code: "route_not_found", param: null },
    });
  });
});

describe("CORS", () => {
  it("answers preflight requests and exposes the request id", async () => {
    const response = await call("/user/profile", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toContain("x-api-key");
    const simple = await call("/health", { headers: { origin: "https://app.example" } });
    expect(simple.headers.get("access-control-expose-headers")).toContain("x-request-id");
  });
});

describe("CORS with an origin list", () => {
  it("allows only the configured origins", async () => {
    const request = async (from: string) => {
      const ctx = createExecutionContext();
      const response = await createApp().fetch(
        new Request(`${origin}/health`, { headers: { origin: from } }),
        { ...env, CORS_ORIGINS: "https://a.example, https://b.example" },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return response;
    };
    expect((await request("https://b.example")).headers.get("access-control-allow-origin")).toBe("https://b.example");
    expect((await request("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("OpenAPI document and docs page", () => {
  it("documents every endpoint with its responses", async () => {
    const response = await call("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toBe("3.1.0");
    const expected: [string, string, string[]][] = [
      ["/health", "get", ["200"]],
      ["/ready", "get", ["200", "503"]],
      ["/auth/register", "post", ["201", "400", "429"]],
      ["/user/profile", "get", ["200", "401", "402", "403"]],
      ["/user/balance", "get", ["200", "401", "402"]],
      ["/user/api-keys", "get", ["200", "401"]],
      ["/user/api-keys", "post", ["201", "400", "409"]],
      ["/user/api-keys/{id}", "delete", ["200", "404", "409"]],
      ["/v1/chat/completions", "post", ["200", "400", "401", "402", "403", "404", "429", "502", "504"]],
      ["/chat/completions", "post", ["200", "400", "402"]],
      ["/v1/generation", "get", ["200", "404"]],
      ["/v1/messages", "post", ["200", "400", "401", "402", "403", "404", "429", "502", "504"]],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      for (const status of statuses) expect(Object.keys(operation?.responses ?? {})).toContain(status);
    }
    expect(Object.keys(document.components.securitySchemes)).toEqual(["bearerAuth", "apiKeyHeader"]);
  });

  it("documents every route the app serves", async () => {
    const document = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const served = createApp()
      .routes.filter((route) => route.method !== "ALL" && !["/openapi.json", "/docs"].includes(route.path))
      .map((route) => [route.method.toLowerCase(), route.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")] as const);
    expect(served.length).toBeGreaterThan(150);
    const undocumented = served.filter(([method, path]) => document.paths[path]?.[method] === undefined);
    expect(undocumented).toEqual([]);
  });

  it("serves an interactive docs page bound to the document", async () => {
    const response = await call("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("/openapi.json");
  });
});
