// The models.dev community catalog (https://models.dev/api.json, MIT): per provider, per model,
// prices and limits that providers' own model lists leave out. Its costs are USD per million tokens
// as JSON numbers; we keep prices as exact USD-per-token decimal strings, so the conversion is done
// on the number's decimal text, never with float arithmetic.

import { isRecord } from "../lib/json";
import type { ListedModel } from "./types";

/**
 * USD per million tokens (a JSON number) → USD per token as an exact decimal string: 2.5 → "0.0000025",
 * 10 → "0.00001", 1e-7 → "0.0000000000001". `String(number)` is the shortest text that reads back as
 * the same number, i.e. what the JSON said; the decimal point is then moved six places left in that
 * text. Negative, non-finite and non-number costs are no price.
 */
export function perMillionToPerToken(value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return undefined;
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) return undefined;
  const [, whole = "", fraction = "", exponent = "0"] = match;
  const digits = whole + fraction;
  // Where the decimal point falls within `digits` after scaling by 10^(exponent - 6).
  const point = whole.length + Number(exponent) - 6;
  const text =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return normalizeDecimal(text);
}

/** "000.00250" → "0.0025", "10.0" → "10", "0.000" → "0". */
function normalizeDecimal(text: string): string {
  const [whole = "", fraction = ""] = text.split(".");
  const integer = whole.replace(/^0+(?=\d)/, "") || "0";
  const decimals = fraction.replace(/0+$/, "");
  return decimals ? `${integer}.${decimals}` : integer;
}

const positive = (value: unknown) => (typeof value === "number" && value > 0 ? value : undefined);
const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;

function listedModel(id: string, entry: Record<string, unknown>): ListedModel {
  const cost = isRecord(entry.cost) ? entry.cost : undefined;
  const limit = isRecord(entry.limit) ? entry.limit : {};
  const modalities = isRecord(entry.modalities) ? entry.modalities : {};
  const inputModalities = strings(modalities.input);
  return {
    id,
    name: typeof entry.name === "string" && entry.name.length > 0 ? entry.name : undefined,
    contextLength: positive(limit.context),
    maxCompletionTokens: positive(limit.output),
    inputModalities,
    outputModalities: strings(modalities.output),
    supportsTools: typeof entry.tool_call === "boolean" ? entry.tool_call : undefined,
    supportsVision: inputModalities?.includes("image"),
    pricing: cost && {
      prompt: perMillionToPerToken(cost.input),
      completion: perMillionToPerToken(cost.output),
      cacheRead: perMillionToPerToken(cost.cache_read),
      cacheWrite: perMillionToPerToken(cost.cache_write),
    },
  };
}

/** models.dev's catalog keyed by its provider id (ProviderAdapter.modelsDevId), then by model id. */
export function parseModelsDev(body: unknown): Map<string, Map<string, ListedModel>> {
  if (!isRecord(body)) throw new TypeError("models.dev catalog is not an object");
  const catalog = new Map<string, Map<string, ListedModel>>();
  for (const [providerId, provider] of Object.entries(body)) {
    if (!isRecord(provider) || !isRecord(provider.models)) continue;
    const models = new Map<string, ListedModel>();
    for (const [modelId, entry] of Object.entries(provider.models)) {
      if (isRecord(entry)) models.set(modelId, listedModel(modelId, entry));
    }
    catalog.set(providerId, models);
  }
  return catalog;
}
