// Catalog sync of every provider family from the recorded model lists, served by the mock upstream
// in each provider's own pagination style (see test/support/mock-catalog.ts).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { configuredProviders } from "../../src/catalog/sync";
import { runScheduledModelSync } from "../../src/cron/model-sync";
import { readConfig } from "../../src/env";
import { execute, registerAccount } from "../support/accounts";
import { TEST_ADMIN_API_KEY } from "../support/bindings";
import { type CatalogScenario, recordedList, setScenario } from "../support/catalog-scenario";
import { call, errorOf } from "../support/gateway";

interface SyncBody {
  success: boolean;
  message: string;
  details: {
    provider: string;
    provider_id: number | null;
    run_id: number | null;
    pages_fetched: number;
    models_fetched: number;
    models_transformed: number;
    models_skipped: number;
    models_synced: number;
    models_deactivated: number;
  };
}

const admin = { key: TEST_ADMIN_API_KEY };

async function sync(provider: string, query = ""): Promise<Response> {
  return call(`/admin/model-sync/provider/${provider}${query}`, { method: "POST", ...admin });
}

async function syncOk(provider: string): Promise<SyncBody> {
  const response = await sync(provider);
  const body = (await response.json()) as SyncBody;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function activeIds(provider: string): Promise<string[]> {
  const rows = await execute(sql`
    select m.provider_model_id from models m join providers p on p.id = m.provider_id
    where p.slug = ${provider} and m.is_active`);
  return rows.map((row) => String(row.provider_model_id)).sort();
}

async function scenario(value: CatalogScenario): Promise<void> {
  await setScenario(env.TEST_MOCK_UPSTREAM_URL, value);
}

afterEach(() => scenario({}));

describe("admin model sync: access", () => {
  it("needs an admin: no key is 401, a user's key is 403", async () => {
    const anonymous = await call("/admin/model-sync/provider/openai", { method: "POST" });
    expect(anonymous.status).toBe(401);
    const user = await registerAccount();
    const forbidden = await call("/admin/model-sync/status", { key: user.apiKey });
    expect(forbidden.status).toBe(403);
    expect((await errorOf(forbidden)).error.code).toBe("admin_required");
  });

  it("rejects an unknown provider (404) and an unconfigured one (409) without calling anything", async () => {
    const unknown = await sync("no-such-provider");
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).error.code).toBe("unknown_provider");
    const unconfigured = await sync("together");
    expect(unconfigured.status).toBe(409);
    const error = await errorOf(unconfigured);
    expect(error.error.code).toBe("provider_not_configured");
    expect(error.error.message).toContain("TOGETHER_API_KEY");
  });
});

describe("admin model sync: each provider family", () => {
  it("dry run fetches and transforms but writes nothing", async () => {
    const expected = (await recordedList(env.TEST_MOCK_UPSTREAM_URL, "catalog/deepseek-models.json")).length - 1;
    const before = await execute(sql`select count(*)::int as runs from model_sync_runs`);
    const catalogBefore = await execute(sql`select m.provider_model_id, m.is_active, m.updated_at from models m
      join providers p on p.id = m.provider_id where p.slug = 'deepseek' order by m.id`);
    // A real sync would now retire deepseek-chat (if it was synced before): a dry run must not.
    await scenario({ drop: { deepseek: ["deepseek-chat"] } });
    const response = await sync("deepseek", "?dry_run=true");
    expect(response.status).toBe(200);
    const body = (await response.json()) as SyncBody;
    expect(body.message).toBe(
      `Dry run: would sync ${expected} models from deepseek. Fetched: ${expected}, Transformed: ${expected}, Skipped: 0`,
    );
    expect(body.details.models_synced).toBe(0);
    expect(body.details.run_id).toBeNull();
    const catalogAfter = await execute(sql`select m.provider_model_id, m.is_active, m.updated_at from models m
      join providers p on p.id = m.provider_id where p.slug = 'deepseek' order by m.id`);
    expect(catalogAfter).toEqual(catalogBefore);
    expect(await execute(sql`select count(*)::int as runs from model_sync_runs`)).toEqual(before);
  });

  it.each([
    ["openai", "catalog/openai-models.json"],
    ["mistral", "catalog/mistral-models.json"],
    ["deepseek", "catalog/deepseek-models.json"],
    ["xai", "catalog/xai-models.json"],
    ["cerebras", "catalog/cerebras-models.json"],
    ["openrouter", "catalog/openrouter-models.json"],
  ])("%s: the whole recorded list lands, with the seed's message", async (provider, path) => {
    const listed = await recordedList(env.TEST_MOCK_UPSTREAM_URL, path);
    const body = await syncOk(provider);
    // Mistral's recorded list names two models twice: the repeats are skipped, not written twice.
    const unique = [...new Set(listed)].sort();
    const n = unique.length;
    const skipped = listed.length - n;
    expect(body).toMatchObject({
      success: true,
      message: `Synced ${n} models from ${provider}. Fetched: ${listed.length}, Transformed: ${n}, Skipped: ${skipped}`,
      details: { provider, pages_fetched: 1, models_fetched: listed.length, models_synced: n, models_deactivated: 0 },
    });
    expect(body.details.provider_id).toEqual(expect.any(Number));
    expect(await activeIds(provider)).toEqual(unique);
    const [run] = await execute(sql`select status, trigger, models_synced, finished_at from model_sync_runs
      where id = ${body.details.run_id}`);
    expect(run).toMatchObject({ status: "succeeded", trigger: "admin", models_synced: n });
    expect(run?.finished_at).not.toBeNull();
  });

  it("keeps OpenRouter's own per-token prices exactly, and fills OpenAI's from models.dev", async () => {
    await syncOk("openrouter");
    await syncOk("openai");
    const [haiku] = await execute(sql`select price_prompt::text as prompt, price_completion::text as completion,
      price_cache_read::text as cache_read, context_length, developer, supports_tools
      from models m join providers p on p.id = m.provider_id
      where p.slug = 'openrouter' and m.provider_model_id = 'anthropic/claude-haiku-4.5'`);
    expect(haiku).toMatchObject({
      prompt: "0.000001000000000",
      completion: "0.000005000000000",
      cache_read: "0.000000100000000",
      developer: "anthropic",
      supports_tools: true,
    });
    // models.dev lists gpt-4o at $2.50 / $10 per million tokens, cache reads $1.25.
    const [gpt4o] = await execute(sql`select price_prompt::text as prompt, price_completion::text as completion,
      price_cache_read::text as cache_read, context_length
      from models m join providers p on p.id = m.provider_id
      where p.slug = 'openai' and m.provider_model_id = 'gpt-4o'`);
    expect(gpt4o).toMatchObject({
      prompt: "0.000002500000000",
      completion: "0.000010000000000",
      cache_read: "0.000001250000000",
      context_length: 128000,
    });
  });

  it("anthropic: follows has_more / after_id through every page", async () => {
    const listed = await recordedList(env.TEST_MOCK_UPSTREAM_URL, "catalog/anthropic-models.json");
    const body = await syncOk("anthropic");
    expect(body.details.pages_fetched).toBe(Math.ceil(listed.length / 3));
    expect(body.details.models_synced).toBe(listed.length);
    expect(await activeIds("anthropic")).toEqual([...listed].sort());
  });

  it("google: follows nextPageToken through every page, keeping the models that generate or embed content", async () => {
    const body = await syncOk("google");
    expect(body.details.pages_fetched).toBe(3);
    // 30 that generate content and gemini-embedding-001 (served by /v1/embeddings).
    expect(body.details.models_fetched).toBe(31);
    expect(await activeIds("google")).toContain("gemini-2.5-flash");
    expect(await activeIds("google")).toContain("gemini-embedding-001");
  });

  it("huggingface: a Link-paginated list of more than 1,000 models arrives whole", async () => {
    const body = await syncOk("huggingface");
    expect(body.details.models_fetched).toBeGreaterThan(1_000);
    expect(body.details.pages_fetched).toBe(Math.ceil(body.details.models_fetched / 1000));
    expect(body.details.models_synced).toBe(body.details.models_fetched);
    const ids = await activeIds("huggingface");
    expect(ids).toHaveLength(body.details.models_fetched);
    expect(ids).toContain("meta-llama/Llama-3.1-8B-Instruct");
  });
});

describe("admin model sync: what a provider stops listing, and failures", () => {
  it("a model removed upstream becomes inactive (kept, never deleted) and comes back when listed again", async () => {
    await syncOk("anthropic");
    const [before] =
      await execute(sql`select m.id, m.first_seen_at from models m join providers p on p.id = m.provider_id
      where p.slug = 'anthropic' and m.provider_model_id = 'claude-opus-4-6'`);
    await scenario({ drop: { anthropic: ["claude-opus-4-6"] } });
    const body = await syncOk("anthropic");
    expect(body.details.models_deactivated).toBe(1);
    expect(await activeIds("anthropic")).not.toContain("claude-opus-4-6");
    const [retired] = await execute(sql`select id, is_active from models where id = ${before?.id}`);
    expect(retired).toMatchObject({ id: before?.id, is_active: false });

    await scenario({});
    const again = await syncOk("anthropic");
    expect(again.details.models_deactivated).toBe(0);
    const [back] = await execute(sql`select id, is_active, first_seen_at from models where id = ${before?.id}`);
    expect(back).toMatchObject({ id: before?.id, is_active: true });
    expect(back?.first_seen_at).toEqual(before?.first_seen_at);
  });

  it("a page failing mid-way records a failed run and changes nothing (no half-deactivation)", async () => {
    await syncOk("huggingface");
    const active = await activeIds("huggingface");
    // The failing second page would otherwise make the first page look like the whole list.
    await scenario({ failPage: { huggingface: 2 }, drop: { huggingface: [active[0] ?? ""] } });
    const response = await sync("huggingface");
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.error.code).toBe("model_sync_failed");
    expect(error.error.message).toContain("page 2 answered HTTP 500");
    expect(await activeIds("huggingface")).toEqual(active);
    const [run] = await execute(sql`select status, error, models_synced, models_deactivated from model_sync_runs
      where provider = 'huggingface' order by id desc limit 1`);
    expect(run).toMatchObject({ status: "failed", models_synced: 0, models_deactivated: 0 });
    expect(String(run?.error)).toContain("page 2");
  });

  it("status reports each provider's latest run and the catalog totals", async () => {
    await syncOk("xai");
    await scenario({ failPage: { cerebras: 1 } });
    expect((await sync("cerebras")).status).toBe(502);
    const response = await call("/admin/model-sync/status", admin);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      catalog: { active_models: number };
      providers: { provider: string; active_models: number; last_run: { status: string; error: string | null } }[];
      recent_runs: { provider: string; status: string }[];
      schedule: { cron: string };
    };
    const xai = body.providers.find((row) => row.provider === "xai");
    expect(xai?.last_run.status).toBe("succeeded");
    expect(xai?.active_models).toBe((await activeIds("xai")).length);
    const cerebras = body.providers.find((row) => row.provider === "cerebras");
    expect(cerebras?.last_run.status).toBe("failed");
    expect(cerebras?.last_run.error).toContain("HTTP 500");
    expect(body.recent_runs[0]).toMatchObject({ provider: "cerebras", status: "failed" });
    expect(body.schedule.cron).toBe("*/30 * * * *");
    const [total] = await execute(sql`select count(*)::int as n from models where is_active`);
    expect(body.catalog.active_models).toBe(total?.n);
  });

  it("lists syncable providers with their configuration", async () => {
    const response = await call("/admin/model-sync/providers", admin);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      providers: { slug: string; configured: boolean; api_key_env: string }[];
    };
    expect(body.providers.find((row) => row.slug === "openrouter")).toMatchObject({
      configured: true,
      api_key_env: "OPENROUTER_API_KEY",
    });
    expect(body.providers.find((row) => row.slug === "together")?.configured).toBe(false);
  });

  it("a provider with a malformed setting does not stop the others", () => {
    // Workers AI's URL needs CLOUDFLARE_ACCOUNT_ID: with a key alone its setting is malformed.
    const broken = { ...env, CLOUDFLARE_API_KEY: "cf-key" };
    expect(configuredProviders(broken, readConfig(broken), ["cloudflare", "openai"])).toEqual(["openai"]);
  });

  it("sync all (dry run) reports every configured provider and names the unconfigured ones", async () => {
    const response = await call("/admin/model-sync/all?dry_run=true", { method: "POST", ...admin });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      success: boolean;
      results: { provider: string; success: boolean; models_transformed: number }[];
      not_configured: string[];
    };
    expect(body.results.find((row) => row.provider === "openrouter")).toMatchObject({ success: true });
    expect(body.results.find((row) => row.provider === "openrouter")?.models_transformed).toBeGreaterThan(300);
    // Groq is configured but the mock has no recorded Groq list: that provider fails, the rest go on.
    expect(body.results.find((row) => row.provider === "groq")?.success).toBe(false);
    expect(body.success).toBe(false);
    expect(body.not_configured).toContain("together");
  });
});

describe("scheduled model sync", () => {
  it("syncs the most overdue configured providers, a few per run", async () => {
    const [{ last } = { last: 0 }] = await execute(sql`select coalesce(max(id), 0)::int as last from model_sync_runs`);
    const ctx = createExecutionContext();
    await runScheduledModelSync({ ...env, MODEL_SYNC_PROVIDERS_PER_RUN: "2" }, ctx, Date.now());
    await waitOnExecutionContext(ctx);
    const runs = await execute(sql`select provider, trigger from model_sync_runs where id > ${last} order by id`);
    expect(runs).toHaveLength(2);
    expect(runs.every((run) => run.trigger === "cron")).toBe(true);
    // Groq has never synced successfully (no last_synced_at), so it is the most overdue.
    expect(runs.map((run) => run.provider)).toContain("groq");
  });
});
