// Hugging Face: the Inference Providers model list read from the Hub API (paginated by Link header),
// and the Hub helpers behind the author-models and test-huggingface endpoints, against the recorded
// Hub model-info answer (catalog/huggingface-model-info-inference-providers.json). The Hub's list
// endpoint returns an array of such items, so list pages are built by wrapping the recorded item.
import { describe, expect, it } from "vitest";
import {
  buildAuthorModelsRequest,
  buildModelInfoRequest,
  displayNameFromRepoId,
  extractAuthorData,
  parseAuthorModels,
} from "../../src/providers/huggingface/hub";
import { buildHubModelListRequest, nextLink, parseHubModelList } from "../../src/providers/huggingface/hub-models";
import { providers } from "../../src/providers/registry";
import { fixtureJson } from "./fixtures";

interface RecordedMapping {
  isModelAuthor: boolean;
  providerId: string;
  status: string;
  task: string;
}
interface RecordedModelInfo {
  _id: string;
  id: string;
  inferenceProviderMapping: Record<string, RecordedMapping>;
}

const recorded = () => fixtureJson<RecordedModelInfo>("catalog/huggingface-model-info-inference-providers.json");
const recordedMeta = () =>
  fixtureJson<{ request: { url: string } }>("catalog/huggingface-model-info-inference-providers.meta.json");
const settings = { apiKey: "hf_k", baseUrl: "https://router.huggingface.co/v1" };
const firstPageQuery =
  "inference_provider=all&pipeline_tag=text-generation&expand[]=inferenceProviderMapping&limit=1000";
// A next link of the form the Hub sends (its cursor is opaque).
const nextPageUrl = `https://huggingface.co/api/models?${firstPageQuery}&cursor=eyJfaWQiOnsiJGd0IjoiNjY5OGQ4YTAifX0`;
const linkHeaders = (link: string) => new Headers({ link });

/** The recorded mapping with every provider's status replaced. */
function withStatus(item: RecordedModelInfo, status: string): RecordedModelInfo {
  const mapping = Object.fromEntries(
    Object.entries(item.inferenceProviderMapping).map(([provider, entry]) => [provider, { ...entry, status }]),
  );
  return { ...item, inferenceProviderMapping: mapping };
}

/** The same mapping in the Hub's list form: an array of `{provider, status, providerId, task}`. */
function asArrayMapping(item: RecordedModelInfo) {
  const entries = Object.entries(item.inferenceProviderMapping).map(([provider, entry]) => ({ provider, ...entry }));
  return { ...item, inferenceProviderMapping: entries };
}

describe("Hugging Face model list (Hub API)", () => {
  it("asks the Hub for text-generation models with their provider mappings, 1000 a page, with the key", () => {
    const request = buildHubModelListRequest(settings);
    expect(request).toMatchObject({ method: "GET", url: `https://huggingface.co/api/models?${firstPageQuery}` });
    expect(request.headers.authorization).toBe("Bearer hf_k");
    const mirrored = buildHubModelListRequest({ ...settings, catalogUrl: "http://127.0.0.1:8787/api/models/" });
    expect(mirrored.url).toBe(`http://127.0.0.1:8787/api/models?${firstPageQuery}`);
  });

  it("is what the huggingface provider uses (vendor hook), not the router's /models", () => {
    expect(providers.huggingface.buildModelListRequest(settings).url).toBe(buildHubModelListRequest(settings).url);
    const page = providers.huggingface.parseModelList([recorded()], new Headers());
    expect(page.models.map((model) => model.id)).toEqual(["meta-llama/Llama-3.1-8B-Instruct"]);
    // Other OpenAI-compatible vendors keep `<base>/models`.
    expect(providers.groq.buildModelListRequest({ ...settings, baseUrl: "https://api.groq.com/openai/v1" }).url).toBe(
      "https://api.groq.com/openai/v1/models",
    );
  });

  it("lists a recorded model with live providers under its repo id, its namespace as developer", () => {
    const page = parseHubModelList([recorded()], new Headers());
    expect(page.models).toEqual([
      {
        id: "meta-llama/Llama-3.1-8B-Instruct",
        name: "meta-llama/Llama-3.1-8B-Instruct",
        huggingFaceId: "meta-llama/Llama-3.1-8B-Instruct",
        developer: "meta-llama",
      },
    ]);
    expect(page.nextCursor).toBeUndefined();
  });

  it("accepts the mapping as an array of {provider, status, providerId, task}", () => {
    const page = parseHubModelList([asArrayMapping(recorded())], new Headers());
    expect(page.models.map((model) => model.huggingFaceId)).toEqual(["meta-llama/Llama-3.1-8B-Instruct"]);
  });

  it("skips models with no live mapping (staging only, or no mapping at all)", () => {
    const item = recorded();
    const staging = withStatus(item, "staging");
    expect(parseHubModelList([staging], new Headers()).models).toEqual([]);
    expect(parseHubModelList([asArrayMapping(staging)], new Headers()).models).toEqual([]);
    const { inferenceProviderMapping: _dropped, ...unmapped } = item;
    expect(parseHubModelList([unmapped], new Headers()).models).toEqual([]);
    // One live provider among staging ones is enough.
    const oneLive = withStatus(item, "staging");
    const novita = item.inferenceProviderMapping.novita;
    if (!novita) throw new Error("recording changed: no novita mapping");
    oneLive.inferenceProviderMapping.novita = novita;
    expect(parseHubModelList([oneLive], new Headers()).models).toHaveLength(1);
  });

  it("takes the next page's full URL from the Link header, and no Link means the last page", () => {
    expect(parseHubModelList([recorded()], linkHeaders(`<${nextPageUrl}>; rel="next"`)).nextCursor).toBe(nextPageUrl);
    expect(parseHubModelList([recorded()], new Headers()).nextCursor).toBeUndefined();
    // Only rel="next" counts, among several links; unquoted rel is accepted too.
    expect(nextLink(`<https://huggingface.co/api/models?p=0>; rel="prev", <${nextPageUrl}>; rel="next"`)).toBe(
      nextPageUrl,
    );
    expect(nextLink(`<${nextPageUrl}>; rel=next`)).toBe(nextPageUrl);
    expect(nextLink(`<https://huggingface.co/api/models?p=0>; rel="prev"`)).toBeUndefined();
  });

  it("requests a next page exactly as linked, but only on the catalog's origin", () => {
    const request = buildHubModelListRequest(settings, nextPageUrl);
    expect(request.url).toBe(nextPageUrl);
    expect(request.headers.authorization).toBe("Bearer hf_k");
    expect(() => buildHubModelListRequest(settings, "https://evil.example/api/models?cursor=x")).toThrow(TypeError);
    expect(() => buildHubModelListRequest(settings, "http://huggingface.co/api/models?cursor=x")).toThrow(
      /not on the catalog's origin https:\/\/huggingface\.co/,
    );
    expect(() => buildHubModelListRequest(settings, "/api/models?cursor=x")).toThrow(TypeError);
  });
});

/** The recorded item as the Hub's list endpoint returns it with cardData=true (ApiModelInfo's list fields). */
function authorListItem(overrides: Record<string, unknown> = {}) {
  const { _id, id } = recorded();
  return {
    _id,
    id,
    modelId: id,
    private: false,
    gated: false,
    downloads: 5_123_456,
    likes: 4_321,
    pipeline_tag: "text-generation",
    library_name: "transformers",
    tags: ["transformers", "safetensors", "llama", "text-generation", "conversational"],
    // The creation time encoded in the recorded `_id` (a MongoDB ObjectId).
    createdAt: "2024-07-18T09:13:04.000Z",
    cardData: { language: ["en"], license: "llama3.1", pipeline_tag: "text-generation" },
    ...overrides,
  };
}

describe("Hugging Face Hub author models", () => {
  it("asks for the author's models by downloads, with card data, encoded, with a token only when given", () => {
    const request = buildAuthorModelsRequest("https://huggingface.co/", "meta-llama", 20);
    expect(request).toEqual({
      method: "GET",
      url: "https://huggingface.co/api/models?author=meta-llama&limit=20&sort=downloads&direction=-1&cardData=true",
      headers: { accept: "application/json" },
    });
    const withToken = buildAuthorModelsRequest("https://huggingface.co", "a b&c", 5, "hf_t");
    expect(withToken.url).toBe(
      "https://huggingface.co/api/models?author=a+b%26c&limit=5&sort=downloads&direction=-1&cardData=true",
    );
    expect(withToken.headers.authorization).toBe("Bearer hf_t");
  });

  it("normalises a model as the seed did", () => {
    const models = parseAuthorModels([authorListItem()], "meta-llama");
    expect(models).toEqual([
      {
        id: "meta-llama/Llama-3.1-8B-Instruct",
        name: "Llama 3.1 8B Instruct",
        description: "",
        pipeline_tag: "text-generation",
        downloads: 5_123_456,
        likes: 4_321,
        created_at: "2024-07-18T09:13:04.000Z",
        author: "meta-llama",
        tags: ["transformers", "safetensors", "llama", "text-generation", "conversational"],
        library_name: "transformers",
      },
    ]);
  });

  it("takes the description from cardData and defaults what the Hub leaves out", () => {
    const described = authorListItem({ cardData: { description: "An 8B instruct model." } });
    expect(parseAuthorModels([described], "meta-llama")[0]?.description).toBe("An 8B instruct model.");
    const { _id, id } = recorded();
    expect(parseAuthorModels([{ _id, id }], "meta-llama")).toEqual([
      {
        id,
        name: "Llama 3.1 8B Instruct",
        description: "",
        pipeline_tag: null,
        downloads: 0,
        likes: 0,
        created_at: "",
        author: "meta-llama",
        tags: [],
        library_name: null,
      },
    ]);
  });

  it("drops private and gated models (gated is false, 'auto' or 'manual')", () => {
    const items = [
      authorListItem({ private: true }),
      authorListItem({ gated: "manual" }),
      authorListItem({ gated: "auto" }),
      authorListItem({ gated: true }),
    ];
    expect(parseAuthorModels(items, "meta-llama")).toEqual([]);
    expect(parseAuthorModels([authorListItem({ gated: false, private: false })], "meta-llama")).toHaveLength(1);
  });

  it("keeps only models under <author>/ and refuses a body that is not an array", () => {
    expect(parseAuthorModels([authorListItem()], "meta")).toEqual([]);
    expect(() => parseAuthorModels(recorded(), "meta-llama")).toThrow(TypeError);
  });

  it("title-cases names like Python's str.title()", () => {
    // The seed's own example id; Python gives "Hf", and "70b" becomes "70B" (a letter after a digit).
    expect(displayNameFromRepoId("meta-llama/Llama-2-70b-chat-hf")).toBe("Llama 2 70B Chat Hf");
    expect(displayNameFromRepoId("meta-llama/Meta-Llama-3-8B-Instruct")).toBe("Meta Llama 3 8B Instruct");
    expect(displayNameFromRepoId("org/SOME_model-NAME")).toBe("Some Model Name");
  });
});

describe("Hugging Face Hub model info (/admin/test-huggingface)", () => {
  it("requests /api/models/{org}/{name}, keeping the slash and encoding each segment", () => {
    const request = buildModelInfoRequest("https://huggingface.co/", "meta-llama/Llama-3.1-8B-Instruct");
    // The recorded request's path, without its query.
    expect(request.url).toBe(recordedMeta().request.url.split("?")[0]);
    expect(request.method).toBe("GET");
    expect(buildModelInfoRequest("https://huggingface.co", "org/na me?x").url).toBe(
      "https://huggingface.co/api/models/org/na%20me%3Fx",
    );
  });

  it("reports no author data for the recorded answer (it has none)", () => {
    expect(extractAuthorData(recorded())).toEqual({
      has_author_data: false,
      author_data: null,
      author: null,
      extracted_author_data: { name: null, fullname: null, avatar_url: null, follower_count: 0 },
    });
  });

  it("extracts name, fullname, avatar and followers from author_data (seed) or authorData (Hub)", () => {
    const authorData = {
      name: "meta-llama",
      fullname: "Meta Llama",
      avatarUrl: "https://cdn-avatars.huggingface.co/meta-llama.png",
      followerCount: 12345,
      type: "org",
    };
    const expected = {
      has_author_data: true,
      author_data: authorData,
      author: "meta-llama",
      extracted_author_data: {
        name: "meta-llama",
        fullname: "Meta Llama",
        avatar_url: "https://cdn-avatars.huggingface.co/meta-llama.png",
        follower_count: 12345,
      },
    };
    expect(extractAuthorData({ ...recorded(), author: "meta-llama", author_data: authorData })).toEqual(expected);
    expect(extractAuthorData({ ...recorded(), author: "meta-llama", authorData })).toEqual(expected);
    // An empty object is no author data (Python truthiness), and followers default to 0.
    const empty = extractAuthorData({ ...recorded(), author_data: {} });
    expect(empty.has_author_data).toBe(false);
    expect(empty.extracted_author_data.follower_count).toBe(0);
  });
});
