// Model listing (the catalog sync's input) against recorded model-list payloads.
import { describe, expect, it } from "vitest";
import { providers } from "../../src/providers/registry";
import { fixtureJson } from "./fixtures";

const settings = { apiKey: "k", baseUrl: "https://example.test/v1/" };

describe("model lists", () => {
  it.each([
    ["openai", "catalog/openai-models.json"],
    ["mistral", "catalog/mistral-models.json"],
    ["deepseek", "catalog/deepseek-models.json"],
    ["xai", "catalog/xai-models.json"],
    ["cerebras", "catalog/cerebras-models.json"],
  ] as const)("%s: every listed model is read", (provider, path) => {
    const body = fixtureJson<{ data: { id: string }[] }>(path);
    const page = providers[provider].parseModelList(body);
    expect(page.models.map((model) => model.id)).toEqual(body.data.map((entry) => entry.id));
    expect(page.nextCursor).toBeUndefined();
  });

  it("reads OpenRouter's names, context lengths, modalities and per-token prices", () => {
    const body = fixtureJson<{ data: { id: string; pricing: { prompt: string } }[] }>("catalog/openrouter-models.json");
    const page = providers.openrouter.parseModelList(body);
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

  it("reads Anthropic's page and follows has_more with after_id", () => {
    const body = fixtureJson<{ data: { id: string }[]; has_more: boolean; last_id: string }>(
      "catalog/anthropic-models.json",
    );
    const page = providers.anthropic.parseModelList(body);
    expect(page.models.map((model) => model.id)).toEqual(body.data.map((entry) => entry.id));
    expect(page.models[0]?.name).toBe("Claude Opus 4.6");
    expect(page.nextCursor).toBeUndefined();
    expect(providers.anthropic.parseModelList({ ...body, has_more: true }).nextCursor).toBe(body.last_id);
    const request = providers.anthropic.buildModelListRequest(settings, "claude-x");
    expect(request).toMatchObject({
      method: "GET",
      url: "https://example.test/v1/models?limit=1000&after_id=claude-x",
    });
    expect(request.headers["x-api-key"]).toBe("k");
  });

  it("reads Gemini's chat models and follows nextPageToken", () => {
    const body = fixtureJson<{ models: { name: string; supportedGenerationMethods: string[] }[] }>(
      "catalog/gemini-models.json",
    );
    const page = providers.google.parseModelList(body);
    const chatModels = body.models.filter((entry) => entry.supportedGenerationMethods.includes("generateContent"));
    expect(page.models.map((model) => model.id)).toEqual(
      chatModels.map((entry) => entry.name.replace(/^models\//, "")),
    );
    expect(page.models.find((model) => model.id === "gemini-2.5-flash")).toMatchObject({
      contextLength: 1048576,
      maxCompletionTokens: 65536,
    });
    expect(providers.google.parseModelList({ ...body, nextPageToken: "page-2" }).nextCursor).toBe("page-2");
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
