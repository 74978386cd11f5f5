// The per-IP limits for the account endpoints, on probe routes of the real app (login and password
// reset arrive with the accounts issue; registration's limit is also tested on the real endpoint).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { loginLimit, passwordResetLimit } from "../../src/middleware/auth-endpoint-limits";
import { errorOf, origin, uniqueIp } from "../support/gateway";

function appWithProbes() {
  const app = createApp();
  app.post("/probe/login", loginLimit, (c) => c.json({ ok: true }));
  app.post("/probe/password-reset", passwordResetLimit, (c) => c.json({ ok: true }));
  app.post("/probe/reset-password", passwordResetLimit, (c) => c.json({ ok: true }));
  return app;
}

async function post(path: string, ip: string, overrides: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await appWithProbes().fetch(
    new Request(`${origin}${path}`, { method: "POST", headers: { "cf-connecting-ip": ip } }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("account endpoint limits per client IP", () => {
  it("allows 10 logins per 15 minutes, then 429 with Retry-After", async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) statuses.push((await post("/probe/login", ip)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const limited = await post("/probe/login", ip);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(limited)).error.message).toContain("per 15 m per IP");
    expect((await post("/probe/login", uniqueIp())).status).toBe(200);
  });

  it("shares one password-reset budget (3 per hour) between requesting and completing a reset", async () => {
    const ip = uniqueIp();
    const statuses = [
      (await post("/probe/password-reset", ip)).status,
      (await post("/probe/reset-password", ip)).status,
      (await post("/probe/password-reset", ip)).status,
      (await post("/probe/reset-password", ip)).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("takes its numbers from configuration", async () => {
    const ip = uniqueIp();
    const overrides = { LOGIN_RATE_LIMIT_PER_15_MINUTES: "2" };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await post("/probe/login", ip, overrides)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
