import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      message: z.string().openapi({ example: "Invalid API key" }),
      type: z.string().openapi({ example: "authentication_error" }),
      code: z.string().nullable().openapi({ example: "invalid_api_key" }),
      param: z.string().nullable().openapi({ example: null }),
    }),
  })
  .openapi("Error");

const descriptions: Record<number, string> = {
  400: "Invalid input",
  401: "Missing, invalid, revoked or expired API key",
  402: "Trial expired or no credits",
  403: "Forbidden: IP, referrer, scope, disabled account or not an admin",
  404: "Not found",
  409: "Conflict with the current state",
  429: "Rate limited (see Retry-After) or the key's request cap is reached",
  500: "Internal error",
  502: "An upstream provider failed",
  503: "A dependency is unavailable",
};

/** Response entries for `createRoute`, all in the one error shape. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] ?? "Error", content: { "application/json": { schema: ErrorSchema } } },
    ]),
  ) as Record<S, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }>;
}

/** Security requirement for routes that take a user API key (Bearer, or x-api-key like Anthropic's SDKs). */
export const userKeySecurity: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }];

/** Security requirement for admin routes (an admin user's key, or ADMIN_API_KEY). */
export const adminSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }];

/** A `createRoute` response entry with a JSON body. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** The gateway's own routing fields, accepted by every inference request body. */
export const routingFields = {
  models: z
    .array(z.string().trim().min(1).max(300))
    .max(10)
    .optional()
    .openapi({ description: "Fallback models, tried in order if `model` fails (OpenRouter-style)" }),
  provider: z
    .union([
      z.string().min(1),
      z.looseObject({
        order: z.array(z.string().min(1)).max(30).optional(),
        allow_fallbacks: z.boolean().optional(),
      }),
    ])
    .optional()
    .openapi({
      description:
        "A provider slug to force one, or OpenRouter's `{order: [...], allow_fallbacks}` to choose the order " +
        "(with `allow_fallbacks: false`, only the listed providers)",
    }),
};
