// Anthropic's token counting: POST {base}/messages/count_tokens takes a Messages request without the
// generation settings and answers `{"input_tokens": N}`, counted with the model's own tokenizer.

import { isRecord } from "../../lib/json";
import type { CountTokensCapability, ProviderSettings } from "../types";
import { anthropicVersion } from "./version";

/** Messages fields that steer generation, which count_tokens refuses ("Extra inputs are not permitted"). */
const generationOnly = [
  "max_tokens",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "metadata",
  "service_tier",
] as const;

export const anthropicCountTokens: CountTokensCapability = {
  buildRequest(body: Record<string, unknown>, upstreamModel: string, settings: ProviderSettings) {
    const counted: Record<string, unknown> = { ...body, model: upstreamModel };
    for (const field of generationOnly) delete counted[field];
    return {
      url: `${settings.baseUrl.replace(/\/+$/, "")}/messages/count_tokens`,
      method: "POST",
      headers: {
        "x-api-key": settings.apiKey,
        "anthropic-version": anthropicVersion,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify(counted),
    };
  },

  parseResponse(body) {
    if (!isRecord(body)) return undefined;
    const tokens = body.input_tokens;
    return typeof tokens === "number" && Number.isInteger(tokens) && tokens >= 0 ? tokens : undefined;
  },
};
