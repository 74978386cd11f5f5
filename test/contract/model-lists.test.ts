// Model listing (the catalog sync's input) against recorded model-list payloads.
import { describe, expect, it } from "vitest";
import { providers } from "../../src/providers/registry";
import { fixtureJson } from "./fixtures";

const settings = { apiKey: "k", baseUrl: "https://example.test/v1/" };
/** These lists paginate (if at all) in the body, so the response headers play no part. */
const noHeaders = new Headers();

interface OpenAiListEntry {
  id: string;
  owned_by: string;
}

describe("model lists", () => {
  it("openai: every model is OpenAI's own, whatever owned_by says ('system', 'openai-internal')", () => {
    const body = fixtureJson<{ data: OpenAiListEntry[] }>("catalog/openai-models.json");
    expect(body.data.some((entry) => entry.owned_by === "system")).toBe(true);
    const page = providers.openai.parseModelList(body, noHeaders);
    expect(page.models.map((model) => model.id)).toEqual(body.data.map((entry) => entry.id));
    expect(new Set(page.models.map((model) => model.developer))).toEqual(new Set(["openai"]));
  });

  it.each([
    ["mistral", "catalog/mistral-models.json"],
    ["deepseek", "catalog/deepseek-models.json"],
    ["xai", "catalog/xai-models.json"],
    ["cerebras", "catalog/cerebras-models.json"],
  ] as const)("%s: every listed model is read, with owned_by (lowercased) as its developer", (provider, path) => {
    const body = fixtureJson<{ data: OpenAiListEntry[] }>(path);
    const page = providers[provider].parseModelList(body, noHeaders);
    expect(page.models.map((model) => model.id)).toEqual(body.data.map((entry) => entry.id));
    expect(page.models.map((model) => model.developer)).toEqual(body.data.map((entry) => entry.owned_by.toLowerCase()));
    expect(page.nextCursor).toBeUndefined();
  });

  it("lowercases owned_by (Cerebras says 'Cerebras')", () => {
    const page = providers.cerebras.parseModelList(fixtureJson("catalog/cerebras-models.json"), noHeaders);
    expect(page.models[0]).toMatchObject({ id: "gemma-4-31b", developer: "cerebras" });
  });

  it("reads OpenRouter's names, context lengths, modalities and per-token prices", () => {
    const body = fixtureJson<{ data: { id: string; pricing: { prompt: string } }[] }>("catalog/openrouter-models.json");
    const page = providers.openrouter.parseModelList(body, noHeaders);
    expect(page.models).toHaveLength(body.data.length);
    const first = page.models[0];
    expect(first).toMatchObject({
      id: "qwen/qwen3-max-thinking",
      name: "Qwen: Qwen3 Max Thinking",
      contextLength: 262144,
      maxCompletionTokens: 32768,
      inputModalities: ["text"],
      pricing: { prompt: "0.0000012", completion: "0.000006" },
    });
    expect(page.models.filter((model) => model.pricing?.prompt !== undefined).length).toBeGreaterThan(300);
  });

  it("reads OpenRouter's developer from the id's namespace, tools from supported_parameters, vision from input_modalities", () => {
    const page = providers.openrouter.parseModelList(fixtureJson("catalog/openrouter-models.json"), noHeaders);
    const byId = new Map(page.models.map((model) => [model.id, model]));
    expect(byId.get("anthropic/claude-haiku-4.5")).toMatchObject({
      developer: "anthropic",
      supportsTools: true,
      supportsVision: true,
      pricing: { prompt: "0.000001", completion: "0.000005", cacheRead: "0.0000001", cacheWrite: "0.00000125" },
    });
    expect(byId.get("qwen/qwen3-max-thinking")).toMatchObject({
      developer: "qwen",
      supportsTools: true,
      supportsVision: false,
    });
    // No "tools" in its supported_parameters.
    expect(byId.get("writer/palmyra-x5")).toMatchObject({ developer: "writer", supportsTools: false });
    // Every model's developer is its namespace.
    for (const model of page.models) expect(model.developer).toBe(model.id.split("/")[0]);
    // Counts from the recording: 122 of 344 take images, 230 take tools.
    expect(page.models.filter((model) => model.supportsVision).length).toBe(122);
    expect(page.models.filter((model) => model.supportsTools).length).toBe(230);
  });

  it("keeps OpenRouter's '-1' (price varies) prices absent", () => {
    const page = providers.openrouter.parseModelList(fixtureJson("catalog/openrouter-models.json"), noHeaders);
    const auto = page.models.find((model) => model.id === "openrouter/auto");
    expect(auto?.pricing).toBeDefined();
    expect(auto?.pricing?.prompt).toBeUndefined();
    expect(auto?.pricing?.completion).toBeUndefined();
  });

  it("reads Mistral's capabilities, max_context_length, name and description", () => {
    const page = providers.mistral.parseModelList(fixtureJson("catalog/mistral-models.json"), noHeaders);
    const byId = new Map(page.models.map((model) => [model.id, model]));
    expect(byId.get("mistral-medium-2505")).toMatchObject({
      name: "mistral-medium-2505",
      description: "Our frontier-class multimodal model released May 2025.",
      contextLength: 131072,
      developer: "mistralai",
      supportsTools: true,
      supportsVision: true,
    });
    // An alias carries its target's name; codestral's context is 256k.
    expect(byId.get("codestral-latest")).toMatchObject({ name: "codestral-2508", contextLength: 256000 });
    expect(byId.get("mistral-large-2411")).toMatchObject({ supportsTools: true, supportsVision: false });
    expect(byId.get("voxtral-mini-2507")).toMatchObject({ supportsTools: false, supportsVision: false });
  });

  it("leaves the capability flags absent when the list does not say (OpenAI)", () => {
    const page = providers.openai.parseModelList(fixtureJson("catalog/openai-models.json"), noHeaders);
    expect(page.models.every((model) => model.supportsTools === undefined && model.supportsVision === undefined)).toBe(
      true,
    );
  });

  it("reads Anthropic's page and follows has_more with after_id", () => {
    const body = fixtureJson<{ data: { id: string }[]; has_more: boolean; last_id: string }>(
      "catalog/anthropic-models.json",
    );
    const page = providers.anthropic.parseModelList(body, noHeaders);
    expect(page.models.map((model) => model.id)).toEqual(body.data.map((entry) => entry.id));
    expect(page.models[0]?.name).toBe("Claude Opus 4.6");
    expect(page.models.every((model) => model.developer === "anthropic")).toBe(true);
    expect(page.nextCursor).toBeUndefined();
    expect(providers.anthropic.parseModelList({ ...body, has_more: true }, noHeaders).nextCursor).toBe(body.last_id);
    const request = providers.anthropic.buildModelListRequest(settings, "claude-x");
    expect(request).toMatchObject({
      method: "GET",
      url: "https://example.test/v1/models?limit=1000&after_id=claude-x",
    });
    expect(request.headers["x-api-key"]).toBe("k");
  });

  it("reads Gemini's chat and embedding models and follows nextPageToken", () => {
    const body = fixtureJson<{ models: { name: string; supportedGenerationMethods: string[] }[] }>(
      "catalog/gemini-models.json",
    );
    const page = providers.google.parseModelList(body, noHeaders);
    const servedModels = body.models.filter(
      (entry) =>
        entry.supportedGenerationMethods.includes("generateContent") ||
        entry.supportedGenerationMethods.includes("embedContent"),
    );
    expect(page.models.map((model) => model.id)).toEqual(
      servedModels.map((entry) => entry.name.replace(/^models\//, "")),
    );
    expect(page.models.find((model) => model.id === "gemini-2.5-flash")).toMatchObject({
      contextLength: 1048576,
      maxCompletionTokens: 65536,
      developer: "google",
    });
    expect(page.models.every((model) => model.developer === "google")).toBe(true);
    expect(providers.google.parseModelList({ ...body, nextPageToken: "page-2" }, noHeaders).nextCursor).toBe("page-2");
    expect(providers.google.buildModelListRequest(settings, "page-2").url).toBe(
      "https://example.test/v1/models?pageSize=1000&pageToken=page-2",
    );
  });

  it("lists OpenAI-compatible models at <base>/models with the vendor's key", () => {
    const request = providers.groq.buildModelListRequest(settings);
    expect(request).toMatchObject({ method: "GET", url: "https://example.test/v1/models" });
    expect(request.headers.authorization).toBe("Bearer k");
  });
});
