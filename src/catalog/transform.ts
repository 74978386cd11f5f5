// A provider's listed models → catalog rows. The provider's own fields win; a second source (the
// models.dev catalog) fills only what the provider left out, field by field (prices included).
// Entries that cannot be stored are skipped and counted, never half-written.
import type { CatalogModelInput } from "../db/catalog-sync";
import type { ListedModel } from "../providers/types";

export interface TransformResult {
  rows: CatalogModelInput[];
  skipped: number;
  /** Why entries were skipped (first few), for the run's log. */
  skipReasons: string[];
}

const MAX_ID_LENGTH = 256;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const PRICE_SCALE = 15;
/** numeric(24,15) holds at most 9 integer digits. */
const MAX_PRICE_UNITS = 10n ** BigInt(9 + PRICE_SCALE);

/**
 * A price as numeric(24,15) stores it: exact to 15 decimals. Longer decimals are float artefacts of
 * a per-million source (models.dev's 0.09999999999999999) and round half-up, as Postgres would.
 */
export function storablePrice(value: string | undefined): string | null {
  const match = value === undefined ? null : DECIMAL.exec(value);
  if (!match) return null;
  const fraction = match[2] ?? "";
  let units =
    BigInt(match[1] ?? "0") * 10n ** BigInt(PRICE_SCALE) +
    BigInt(fraction.slice(0, PRICE_SCALE).padEnd(PRICE_SCALE, "0"));
  if (fraction.length > PRICE_SCALE && Number(fraction[PRICE_SCALE]) >= 5) units += 1n;
  if (units >= MAX_PRICE_UNITS) return null;
  const whole = units / 10n ** BigInt(PRICE_SCALE);
  const decimals = (units % 10n ** BigInt(PRICE_SCALE)).toString().padStart(PRICE_SCALE, "0").replace(/0+$/, "");
  return decimals ? `${whole}.${decimals}` : `${whole}`;
}

function positiveInt(value: number | undefined): number | null {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 && value <= 2_147_483_647 ? value : null;
}

/** OpenRouter's notation: "text+image->text". */
function modalityOf(input: string[], output: string[]): string | null {
  if (input.length === 0 || output.length === 0) return null;
  return `${input.join("+")}->${output.join("+")}`;
}

function merge(own: ListedModel, extra: ListedModel | undefined): ListedModel {
  if (!extra) return own;
  return {
    ...extra,
    ...Object.fromEntries(Object.entries(own).filter(([, value]) => value !== undefined)),
    id: own.id,
    pricing: { ...extra.pricing, ...Object.fromEntries(Object.entries(own.pricing ?? {}).filter(([, v]) => v)) },
  };
}

function skipReason(model: ListedModel, seen: Set<string>): string | undefined {
  if (model.id.trim() !== model.id || model.id.length === 0) return `id '${model.id}' has surrounding spaces`;
  if (model.id.length > MAX_ID_LENGTH) return `id longer than ${MAX_ID_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(model.id)) return `id '${JSON.stringify(model.id)}' has control characters`;
  if (seen.has(model.id)) return `'${model.id}' listed twice`;
  return undefined;
}

export function transformModels(listed: ListedModel[], enrichment?: Map<string, ListedModel>): TransformResult {
  const rows: CatalogModelInput[] = [];
  const skipReasons: string[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const own of listed) {
    const reason = skipReason(own, seen);
    if (reason) {
      skipped++;
      if (skipReasons.length < 10) skipReasons.push(reason);
      continue;
    }
    seen.add(own.id);
    const model = merge(own, enrichment?.get(own.id));
    const inputModalities = model.inputModalities ?? [];
    const outputModalities = model.outputModalities ?? [];
    const supportedParameters = model.supportedParameters ?? [];
    const namespace = model.id.includes("/") ? model.id.split("/")[0]?.toLowerCase() : undefined;
    rows.push({
      providerModelId: model.id,
      modelName: model.name ?? model.id,
      description: model.description ?? null,
      contextLength: positiveInt(model.contextLength),
      maxCompletionTokens: positiveInt(model.maxCompletionTokens),
      modality: modalityOf(inputModalities, outputModalities),
      inputModalities,
      outputModalities,
      supportedParameters,
      pricePrompt: storablePrice(model.pricing?.prompt),
      priceCompletion: storablePrice(model.pricing?.completion),
      priceCacheRead: storablePrice(model.pricing?.cacheRead),
      priceCacheWrite: storablePrice(model.pricing?.cacheWrite),
      priceRequest: storablePrice(model.pricing?.request),
      priceImage: storablePrice(model.pricing?.image),
      supportsStreaming: true,
      supportsTools: model.supportsTools ?? supportedParameters.includes("tools"),
      supportsVision: model.supportsVision ?? inputModalities.includes("image"),
      huggingFaceId: model.huggingFaceId ?? null,
      developer: model.developer ?? namespace ?? null,
    });
  }
  return { rows, skipped, skipReasons };
}
