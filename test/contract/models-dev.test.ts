// The models.dev catalog against its recorded answer (catalog/models.dev-api.json): exact price
// conversion from USD per million tokens (JSON numbers) to USD-per-token decimal strings, limits,
// capabilities, and the adapters' modelsDevId keys.
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../src/lib/money";
import { parseModelsDev, perMillionToPerToken } from "../../src/providers/models-dev";
import { providers } from "../../src/providers/registry";
import { fixtureJson } from "./fixtures";

type RecordedCatalog = Record<string, { models: Record<string, { cost?: Record<string, unknown> }> }>;

const recorded = () => fixtureJson<RecordedCatalog>("catalog/models.dev-api.json");

describe("models.dev prices", () => {
  it("converts per-million costs to per-token decimal strings without float arithmetic", () => {
    expect(perMillionToPerToken(2.5)).toBe("0.0000025");
    expect(perMillionToPerToken(1.25)).toBe("0.00000125");
    expect(perMillionToPerToken(10)).toBe("0.00001");
    expect(perMillionToPerToken(15)).toBe("0.000015");
    expect(perMillionToPerToken(0.075)).toBe("0.000000075");
    expect(perMillionToPerToken(0)).toBe("0");
    expect(perMillionToPerToken(2_000_000)).toBe("2");
    expect(perMillionToPerToken(12_345_678.9)).toBe("12.3456789");
  });

  it("expands exponent notation (String(1e-7) is '1e-7')", () => {
    expect(perMillionToPerToken(1e-7)).toBe("0.0000000000001");
    expect(perMillionToPerToken(1.5e-7)).toBe("0.00000000000015");
    expect(perMillionToPerToken(1e21)).toBe("1000000000000000");
    expect(perMillionToPerToken(2.5e21)).toBe("2500000000000000");
  });

  it("gives no price for negative, non-finite or non-number costs", () => {
    expect(perMillionToPerToken(-1)).toBeUndefined();
    expect(perMillionToPerToken(Number.NaN)).toBeUndefined();
    expect(perMillionToPerToken(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(perMillionToPerToken("2.5")).toBeUndefined();
    expect(perMillionToPerToken(null)).toBeUndefined();
  });

  it("is exact for every cost in the recorded catalog (cost × 10^34 units == price × 10^40 units)", () => {
    let checked = 0;
    for (const provider of Object.values(recorded())) {
      for (const model of Object.values(provider.models)) {
        for (const cost of Object.values(model.cost ?? {})) {
          if (typeof cost !== "number") continue;
          const price = perMillionToPerToken(cost);
          expect(price).toMatch(/^\d+(\.\d+)?$/);
          expect(parseDecimal(price ?? "", 40)).toBe(parseDecimal(String(cost), 34));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});

describe("models.dev catalog", () => {
  const catalog = parseModelsDev(recorded());

  it("is keyed by provider, then model", () => {
    expect(catalog.size).toBe(Object.keys(recorded()).length);
    expect(catalog.get("deepseek")?.size).toBe(2);
    expect([...(catalog.get("deepseek")?.keys() ?? [])]).toEqual(["deepseek-chat", "deepseek-reasoner"]);
  });

  it("reads OpenAI gpt-4o: prices, limits, tools and vision", () => {
    expect(catalog.get("openai")?.get("gpt-4o")).toEqual({
      id: "gpt-4o",
      name: "GPT-4o",
      contextLength: 128000,
      maxCompletionTokens: 16384,
      inputModalities: ["text", "image"],
      outputModalities: ["text"],
      supportsTools: true,
      supportsVision: true,
      pricing: { prompt: "0.0000025", completion: "0.00001", cacheRead: "0.00000125", cacheWrite: undefined },
    });
  });

  it("reads cache writes (Anthropic) and sub-cent cache reads (Gemini)", () => {
    expect(catalog.get("anthropic")?.get("claude-sonnet-4-5-20250929")?.pricing).toEqual({
      prompt: "0.000003",
      completion: "0.000015",
      cacheRead: "0.0000003",
      cacheWrite: "0.00000375",
    });
    expect(catalog.get("google")?.get("gemini-2.5-flash")?.pricing).toMatchObject({
      prompt: "0.0000003",
      completion: "0.0000025",
      cacheRead: "0.000000075",
    });
  });

  it("keeps free models at '0' and text-only / tool-less models flagged false", () => {
    expect(catalog.get("privatemode-ai")?.get("gpt-oss-120b")?.pricing).toMatchObject({ prompt: "0", completion: "0" });
    expect(catalog.get("privatemode-ai")?.get("whisper-large-v3")?.supportsTools).toBe(false);
    expect(catalog.get("huggingface")?.get("moonshotai/Kimi-K2-Instruct")).toMatchObject({
      supportsTools: true,
      supportsVision: false,
      contextLength: 131072,
      pricing: { prompt: "0.000001", completion: "0.000003" },
    });
  });

  it("keeps models.dev's own float artefacts as written (Helicone's 0.1 is 0.09999999999999999 there)", () => {
    // Faithful to the JSON text: rounding them away is the consumer's decision, not the parser's.
    expect(catalog.get("helicone")?.get("claude-haiku-4-5-20251001")?.pricing).toEqual({
      prompt: "0.000001",
      completion: "0.000005",
      cacheRead: "0.00000009999999999999999",
      cacheWrite: "0.00000125",
    });
  });

  it("leaves pricing absent for models without a cost", () => {
    expect(catalog.get("ollama-cloud")?.get("glm-4.7")?.pricing).toBeUndefined();
  });

  it("refuses a body that is not an object", () => {
    expect(() => parseModelsDev([])).toThrow(TypeError);
  });
});

describe("adapters' models.dev ids", () => {
  const catalog = parseModelsDev(recorded());

  it("name only keys the recorded catalog has", () => {
    const mapped = Object.values(providers).flatMap((adapter) => (adapter.modelsDevId ? [adapter.modelsDevId] : []));
    expect(mapped.length).toBeGreaterThan(15);
    for (const id of mapped) expect(catalog.has(id), id).toBe(true);
  });

  it("maps our slugs to models.dev's where they differ", () => {
    expect(providers.together.modelsDevId).toBe("togetherai");
    expect(providers.fireworks.modelsDevId).toBe("fireworks-ai");
    expect(providers.novita.modelsDevId).toBe("novita-ai");
    expect(providers.cloudflare.modelsDevId).toBe("cloudflare-workers-ai");
    expect(providers.anthropic.modelsDevId).toBe("anthropic");
    expect(providers.google.modelsDevId).toBe("google");
    expect(providers.huggingface.modelsDevId).toBe("huggingface");
    // models.dev does not list these.
    expect(providers.featherless.modelsDevId).toBeUndefined();
    expect(providers.stub.modelsDevId).toBeUndefined();
  });
});
