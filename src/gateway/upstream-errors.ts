// How an upstream failure is told to our client. Our vendor credentials being refused is our
// problem, not the client's: that becomes a 502 naming the provider, never the vendor's text.
import { ApiError } from "../lib/errors";
import type { UpstreamError } from "../providers/types";

export function clientErrorFor(error: UpstreamError, provider: string): ApiError {
  const { status } = error;
  if (status === 401 || status === 403) {
    return new ApiError(502, `Provider '${provider}' rejected the gateway's credentials`, "provider_auth_error");
  }
  if (status === 402)
    return new ApiError(
      502,
      `Provider '${provider}' refused the request for billing reasons`,
      "provider_billing_error",
    );
  if (status === 429) {
    const retryAfter = error.retryAfterSeconds ?? 1;
    return new ApiError(
      429,
      `Provider '${provider}' is rate limiting: ${error.message}`,
      "provider_rate_limited",
      null,
      {
        "retry-after": String(retryAfter),
      },
    );
  }
  if (status === 408 || status === 504)
    return new ApiError(504, `Provider '${provider}' timed out`, "provider_timeout");
  if (status === 404) return new ApiError(404, error.message, error.code ?? "model_not_found", error.param);
  if (status >= 400 && status < 500) {
    return new ApiError(400, error.message, error.code ?? "upstream_invalid_request", error.param);
  }
  return new ApiError(502, `Provider '${provider}' failed (HTTP ${status}): ${error.message}`, "provider_error");
}

export function timeoutError(provider: string, ms: number): ApiError {
  return new ApiError(504, `Provider '${provider}' did not answer within ${ms} ms`, "provider_timeout");
}

export function unreachableError(provider: string): ApiError {
  return new ApiError(502, `Provider '${provider}' could not be reached`, "provider_unreachable");
}
