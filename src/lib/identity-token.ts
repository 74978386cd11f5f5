// Verifies the identity token POST /auth accepts: a JWT signed by the configured issuer's keys.
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import type { Config } from "../env";
import { ApiError, unauthorized } from "./errors";

export interface VerifiedIdentity {
  /** The token's `sub`: stable per person at this issuer. */
  subject: string;
  /** Only set when the issuer says the address is verified (safe to link an existing account by). */
  verifiedEmail: string | null;
  /** Any email the token carries, verified or not (used for a new account's contact address). */
  email: string | null;
  name: string | null;
  phoneNumber: string | null;
}

// One key set per URL per isolate: jose caches the keys and refetches on an unknown `kid`.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetFor(url: string): ReturnType<typeof createRemoteJWKSet> {
  let keySet = keySets.get(url);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    keySets.set(url, keySet);
  }
  return keySet;
}

const text = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : null;

function identityOf(payload: JWTPayload): VerifiedIdentity {
  const subject = text(payload.sub);
  if (!subject) throw unauthorized("The identity token has no subject", "invalid_identity_token");
  const email = text(payload.email)?.toLowerCase() ?? null;
  return {
    subject,
    email,
    verifiedEmail: email && payload.email_verified === true ? email : null,
    name: text(payload.name) ?? text(payload.preferred_username),
    phoneNumber: text(payload.phone_number),
  };
}

/**
 * The key set could not be fetched or read (network error, timeout, non-200, not a JWKS): the
 * identity provider failed, not the caller. jose throws its base JOSEError for a bad HTTP answer.
 */
function keySetUnavailable(error: unknown): boolean {
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error.constructor === joseErrors.JOSEError
  );
}

export async function verifyIdentityToken(config: Config, token: string): Promise<VerifiedIdentity> {
  if (!config.AUTH_JWKS_URL || !config.AUTH_ISSUER) {
    throw new ApiError(503, "Sign-in is not configured on this gateway", "sign_in_not_configured");
  }
  try {
    const { payload } = await jwtVerify(token, keySetFor(config.AUTH_JWKS_URL), {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      clockTolerance: 30,
    });
    return identityOf(payload);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (keySetUnavailable(error)) {
      throw new ApiError(503, "The identity provider's keys could not be fetched", "identity_provider_unavailable");
    }
    const reason = error instanceof joseErrors.JWTExpired ? "has expired" : "could not be verified";
    throw unauthorized(`The identity token ${reason}`, "invalid_identity_token");
  }
}
