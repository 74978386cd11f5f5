// The adapters' optional capabilities beyond chat: embeddings (OpenAI-compatible, Gemini), images
// (OpenAI-compatible) and token counting (Anthropic). No recorded payloads exist for these endpoints
// (../shared/fixtures/upstream/SOURCES.md), so the bodies below follow the providers' documented shapes.
import { describe, expect, it } from "vitest";
import { outputModalitiesOf } from "../../src/providers/openai-compatible/models";
import { providers } from "../../src/providers/registry";
import { fixtureJson } from "./fixtures";

const settings = { apiKey: "k", baseUrl: "https://example.test/v1/" };
const noHeaders = new Headers();

describe("capabilities per provider", () => {
  it("declares embeddings, images and token counting only where the provider serves them", () => {
    const withEmbeddings = Object.values(providers)
      .filter((adapter) => adapter.embeddings)
      .map((a) => a.id);
    const withImages = Object.values(providers)
      .filter((adapter) => adapter.images)
      .map((a) => a.id);
    const counting = Object.values(providers)
      .filter((adapter) => adapter.countTokens)
      .map((a) => a.id);
    expect(withEmbeddings).toEqual(
      expect.arrayContaining(["openai", "mistral", "vercel", "together", "deepinfra", "openrouter", "google"]),
    );
    expect(withEmbeddings).not.toContain("groq");
    expect(withEmbeddings).not.toContain("anthropic");
    expect(withImages).toEqual(expect.arrayContaining(["openai", "xai", "vercel", "together", "deepinfra", "nebius"]));
    expect(withImages).not.toContain("mistral");
    expect(withImages).not.toContain("google");
    expect(counting).toEqual(["anthropic"]);
  });
});

describe("OpenAI-compatible embeddings", () => {
  const embeddings = providers.openai.embeddings;

  it("posts the request as given to <base>/embeddings with the vendor's key", () => {
    const request = { model: "text-embedding-3-small", input: ["a", "b"], encoding_format: "base64" as const };
    const call = embeddings?.buildRequest(request, settings);
    expect(call).toMatchObject({ method: "POST", url: "https://example.test/v1/embeddings" });
    expect(call?.headers.authorization).toBe("Bearer k");
    expect(JSON.parse(call?.body ?? "")).toEqual(request);
    // A vendor's static headers come along (OpenRouter's app title).
    expect(providers.openrouter.embeddings?.buildRequest(request, settings).headers["x-title"]).toBe(
      "Edge LLM Gateway",
    );
  });

  it("reads vectors in input order by `index`, base64 strings as they are, and usage.prompt_tokens", () => {
    const parsed = embeddings?.parseResponse({
      object: "list",
      data: [
        { object: "embedding", index: 1, embedding: "AACAPw==" },
        { object: "embedding", index: 0, embedding: [0.5, -0.25] },
      ],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    expect(parsed).toEqual({ vectors: [[0.5, -0.25], "AACAPw=="], model: "text-embedding-3-small", promptTokens: 7 });
    expect(embeddings?.parseResponse({ object: "list", data: [] }).promptTokens).toBeUndefined();
    expect(() => embeddings?.parseResponse({ choices: [] })).toThrow(TypeError);
  });
});

describe("Gemini embeddings", () => {
  const embeddings = providers.google.embeddings;

  it("translates OpenAI's request to batchEmbedContents, one request per input", () => {
    const call = embeddings?.buildRequest(
      { model: "gemini-embedding-001", input: ["first", "second"], dimensions: 256, encoding_format: "float" },
      settings,
    );
    expect(call?.url).toBe("https://example.test/v1/models/gemini-embedding-001:batchEmbedContents");
    expect(call?.headers["x-goog-api-key"]).toBe("k");
    expect(JSON.parse(call?.body ?? "")).toEqual({
      requests: ["first", "second"].map((text) => ({
        model: "models/gemini-embedding-001",
        content: { parts: [{ text }] },
        outputDimensionality: 256,
      })),
    });
    expect(embeddings?.acceptsTokenArrays).toBe(false);
  });

  it("reads {embeddings: [{values}]} (and embedContent's {embedding}) with no token count", () => {
    expect(embeddings?.parseResponse({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3] }] })).toEqual({
      vectors: [[0.1, 0.2], [0.3]],
      promptTokens: undefined,
    });
    expect(embeddings?.parseResponse({ embedding: { values: [1] } }).vectors).toEqual([[1]]);
    expect(() => embeddings?.parseResponse({ embeddings: [{}] })).toThrow(TypeError);
  });
});

describe("OpenAI-compatible images", () => {
  const images = providers.xai.images;

  it("posts the request as given to <base>/images/generations", () => {
    const request = { model: "grok-2-image", prompt: "a cat", n: 2, response_format: "b64_json" as const };
    const call = images?.buildRequest(request, settings);
    expect(call).toMatchObject({ method: "POST", url: "https://example.test/v1/images/generations" });
    expect(JSON.parse(call?.body ?? "")).toEqual(request);
  });

  it("reads the images, gpt-image usage and the other top-level fields", () => {
    const parsed = images?.parseResponse({
      created: 1_700_000_000,
      data: [{ b64_json: "aGk=", revised_prompt: "a cat" }, { url: "https://x.test/1.png" }, { nothing: true }],
      usage: { input_tokens: 10, output_tokens: 4160, total_tokens: 4170 },
      size: "1024x1024",
    });
    expect(parsed?.created).toBe(1_700_000_000);
    expect(parsed?.images).toEqual([{ b64_json: "aGk=", revised_prompt: "a cat" }, { url: "https://x.test/1.png" }]);
    expect(parsed?.usage).toMatchObject({ promptTokens: 10, completionTokens: 4160 });
    expect(parsed?.extra).toEqual({ size: "1024x1024" });
    // Nebius answers without `created`.
    expect(images?.parseResponse({ data: [{ url: "u" }], id: "x" }).created).toBeGreaterThan(0);
  });
});

describe("Anthropic token counting", () => {
  const counting = providers.anthropic.countTokens;

  it("posts to <base>/messages/count_tokens without generation settings, model replaced", () => {
    const body = {
      model: "anthropic/claude-haiku-4-5",
      max_tokens: 100,
      stream: true,
      temperature: 0.2,
      system: "terse",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "t", input_schema: { type: "object" } }],
    };
    const call = counting?.buildRequest(body, "claude-haiku-4-5", settings);
    expect(call?.url).toBe("https://example.test/v1/messages/count_tokens");
    expect(call?.headers).toMatchObject({ "x-api-key": "k", "anthropic-version": "2023-06-01" });
    expect(JSON.parse(call?.body ?? "")).toEqual({
      model: "claude-haiku-4-5",
      system: "terse",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "t", input_schema: { type: "object" } }],
    });
  });

  it("reads {input_tokens}", () => {
    expect(counting?.parseResponse({ input_tokens: 2095 })).toBe(2095);
    expect(counting?.parseResponse({ type: "error" })).toBeUndefined();
  });
});

describe("the catalog knows embedding models", () => {
  it("Gemini's list keeps embedding models, as output modality 'embedding'", () => {
    const page = providers.google.parseModelList(fixtureJson("catalog/gemini-models.json"), noHeaders);
    expect(page.models.find((model) => model.id === "gemini-embedding-001")).toMatchObject({
      inputModalities: ["text"],
      outputModalities: ["embedding"],
    });
    // Imagen (`predict` only) is not a model any endpoint here serves.
    expect(page.models.some((model) => model.id.startsWith("imagen"))).toBe(false);
  });

  it("OpenAI-style lists: embedding ids, OpenRouter's 'embeddings', Vercel's `type`", () => {
    const page = providers.openai.parseModelList(fixtureJson("catalog/openai-models.json"), noHeaders);
    expect(page.models.find((model) => model.id === "text-embedding-3-small")?.outputModalities).toEqual(["embedding"]);
    expect(page.models.find((model) => model.id === "gpt-4.1-nano")?.outputModalities).toBeUndefined();
    expect(outputModalitiesOf("x/e", { architecture: { output_modalities: ["embeddings"] } })).toEqual(["embedding"]);
    expect(outputModalitiesOf("bfl/flux-pro-1.1", { type: "image" })).toEqual(["image"]);
    expect(outputModalitiesOf("openai/gpt-4o", { architecture: { output_modalities: ["text"] } })).toEqual(["text"]);
  });
});
