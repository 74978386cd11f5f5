// Identity tokens for POST /auth, signed with the private key whose public half the fake JWKS serves.
import { env } from "cloudflare:workers";
import { generateKeyPair, importJWK, type JWTPayload, SignJWT } from "jose";
import { TEST_AUTH_AUDIENCE, TEST_AUTH_ISSUER } from "./fake-identity";

export interface TokenOptions {
  claims?: JWTPayload & Record<string, unknown>;
  issuer?: string;
  audience?: string;
  /** e.g. "5m", or a negative time to make an expired token. */
  expiresIn?: string | number;
  /** Sign with a key the issuer never published. */
  foreignKey?: boolean;
}

export async function identityToken(subject: string | null, options: TokenOptions = {}): Promise<string> {
  const key = options.foreignKey
    ? (await generateKeyPair("ES256")).privateKey
    : await importJWK(JSON.parse(env.TEST_IDENTITY_PRIVATE_JWK), "ES256");
  const jwt = new SignJWT(options.claims ?? {})
    .setProtectedHeader({ alg: "ES256", kid: "test-key-1" })
    .setIssuer(options.issuer ?? TEST_AUTH_ISSUER)
    .setAudience(options.audience ?? TEST_AUTH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "5m");
  if (subject !== null) jwt.setSubject(subject);
  return jwt.sign(key);
}

export function uniqueSubject(): string {
  return `did:test:${crypto.randomUUID()}`;
}
