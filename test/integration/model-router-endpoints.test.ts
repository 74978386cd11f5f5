// The code router's settings endpoints, who may edit tiers and read stats, and the 400s. Tier
// contents are left as they are (model-router.test.ts relies on them); the one successful edit here
// rewrites general tier 1's name to its seeded value.
import { describe, expect, it } from "vitest";
import { makeAdmin, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { call, errorOf } from "../support/gateway";

async function tierId(router: string, tier: number): Promise<number> {
  const response = await call(`/code-router/tiers?router=${router}`);
  const body = (await response.json()) as { tiers: { id: number; router: string; tier: number }[] };
  expect(body.tiers.every((entry) => entry.router === router)).toBe(true);
  const found = body.tiers.find((entry) => entry.tier === tier);
  if (!found) throw new Error(`no ${router} tier ${tier}`);
  return found.id;
}

const validate = async (json: Record<string, unknown>) => {
  const response = await call("/code-router/settings/validate", { method: "POST", json });
  expect(response.status).toBe(200);
  return response.json();
};

describe("code router settings", () => {
  it("lists the settings and the four modes", async () => {
    const response = await call("/code-router/settings/options");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      options: Record<string, { default: unknown }>;
      modes: { value: string }[];
    };
    expect(body.modes.map((mode) => mode.value)).toEqual(["balanced", "price", "quality", "agentic"]);
    expect(body.options.optimization_mode?.default).toBe("balanced");
    expect(body.options.manual_model?.default).toBe("anthropic/claude-sonnet-4");
  });

  it("turns settings into the model string, with the seed's errors and warnings", async () => {
    expect(await validate({})).toEqual({ valid: true, model_string: "router:code", errors: [], warnings: [] });
    expect(await validate({ optimization_mode: "price" })).toMatchObject({
      valid: true,
      model_string: "router:code:price",
    });
    expect(await validate({ optimization_mode: "cheapest" })).toMatchObject({
      valid: false,
      model_string: null,
      errors: [expect.stringContaining("cheapest")],
    });
    expect(await validate({ use_code_router: false })).toMatchObject({
      valid: false,
      errors: ["manual_model is required when use_code_router is false"],
    });
    expect(await validate({ use_code_router: false, manual_model: "openai/gpt-4o" })).toEqual({
      valid: true,
      model_string: "openai/gpt-4o",
      errors: [],
      warnings: [],
    });
    expect(await validate({ use_code_router: false, manual_model: "mystery-model" })).toMatchObject({
      valid: true,
      model_string: "mystery-model",
      warnings: [expect.stringContaining("may not be available")],
    });
    expect(await validate({ use_code_router: false, manual_model: "router:fast" })).toMatchObject({ valid: false });
    const wrongType = await call("/code-router/settings/validate", {
      method: "POST",
      json: { use_code_router: "yes" },
    });
    expect(wrongType.status).toBe(400);
  });
});

describe("tier edits and stats", () => {
  it("refuses tier edits without a key (401) and from a user who is not an admin (403)", async () => {
    const id = await tierId("general", 1);
    const anonymous = await call(`/code-router/tiers/${id}`, { method: "PUT", json: { name: "Hacked" } });
    expect(anonymous.status).toBe(401);
    const user = await registerAccount();
    const forbidden = await call(`/code-router/tiers/${id}`, {
      method: "PUT",
      key: user.apiKey,
      json: { name: "Hacked" },
    });
    expect(forbidden.status).toBe(403);
    expect((await errorOf(forbidden)).error.code).toBe("admin_required");
    const stats = await call("/code-router/stats", { key: user.apiKey });
    expect(stats.status).toBe(403);
    expect((await call("/code-router/stats")).status).toBe(401);
  });

  it("lets an admin user edit a tier and answers 404 for an unknown one", async () => {
    const admin = await registerAccount();
    await makeAdmin(admin.userId);
    const id = await tierId("general", 1);
    const edited = await call(`/code-router/tiers/${id}`, {
      method: "PUT",
      key: admin.apiKey,
      json: { name: "Premium" },
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ id, router: "general", tier: 1, name: "Premium", is_active: true });
    const missing = await call("/code-router/tiers/999999", {
      method: "PUT",
      key: TEST_ADMIN_API_KEY,
      json: { name: "X" },
    });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).error.code).toBe("router_tier_not_found");
  });

  it("rejects tier edits that are not a usable candidate list (400)", async () => {
    const id = await tierId("general", 1);
    const cases: [Record<string, unknown>, string | null][] = [
      [{}, null],
      [{ models: [] }, "models"],
      [{ models: ["router:code"] }, "models.0"],
      [{ models: ["openai/gpt-4o", "openai/gpt-4o"] }, "models"],
      [{ models: Array.from({ length: 11 }, (_, index) => `openai/model-${index}`) }, "models"],
      [{ is_active: "no" }, "is_active"],
    ];
    for (const [json, param] of cases) {
      const response = await call(`/code-router/tiers/${id}`, { method: "PUT", key: TEST_ADMIN_API_KEY, json });
      expect(response.status, JSON.stringify(json)).toBe(400);
      expect((await errorOf(response)).error.param).toBe(param);
    }
  });

  it("rejects a bad test request and an unknown router id (400)", async () => {
    const empty = await call("/code-router/test", { method: "POST", json: { prompt: "" } });
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).error.param).toBe("prompt");
    const mode = await call("/code-router/test", { method: "POST", json: { prompt: "hi", mode: "cheap" } });
    expect(mode.status).toBe(400);
    expect((await errorOf(mode)).error.param).toBe("mode");
    const badQuery = await call("/code-router/tiers?router=fast");
    expect(badQuery.status).toBe(400);

    const account = await registerAccount();
    const unknown = await call("/v1/chat/completions", {
      method: "POST",
      key: account.apiKey,
      json: { model: "router:fast", messages: [{ role: "user", content: "hi" }] },
    });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).error).toMatchObject({ code: "unknown_router", param: "model" });
  });
});
