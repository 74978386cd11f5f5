// The one error shape the gateway produces itself: OpenAI's `{"error": {message, type, code, param}}`.
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "payment_required"
  | "permission_error"
  | "not_found_error"
  | "conflict_error"
  | "rate_limit_error"
  | "server_error"
  | "service_unavailable";

export interface ErrorBody {
  error: { message: string; type: ErrorType; code: string | null; param: string | null };
}

const typeByStatus: Record<number, ErrorType> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "payment_required",
  403: "permission_error",
  404: "not_found_error",
  409: "conflict_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
  503: "service_unavailable",
};

export function errorTypeForStatus(status: number): ErrorType {
  return typeByStatus[status] ?? (status >= 500 ? "server_error" : "invalid_request_error");
}

export function errorBody(
  status: number,
  message: string,
  code: string | null = null,
  param: string | null = null,
): ErrorBody {
  return { error: { message, type: errorTypeForStatus(status), code, param } };
}

/** A failure the client should see as-is: status, message, a stable machine code, optional param. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody(): ErrorBody {
    return errorBody(this.status, this.message, this.code, this.param);
  }
}

export const badRequest = (message: string, code = "invalid_request", param: string | null = null) =>
  new ApiError(400, message, code, param);
export const unauthorized = (message: string, code = "invalid_api_key") => new ApiError(401, message, code);
export const paymentRequired = (message: string, code: string) => new ApiError(402, message, code);
export const forbidden = (message: string, code: string) => new ApiError(403, message, code);
export const notFound = (message: string, code = "not_found") => new ApiError(404, message, code);
export const conflict = (message: string, code: string) => new ApiError(409, message, code);
export const tooManyRequests = (message: string, code: string, retryAfterSeconds?: number) =>
  new ApiError(
    429,
    message,
    code,
    null,
    retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) },
  );
export const serviceUnavailable = (message: string, code: string) => new ApiError(503, message, code);
