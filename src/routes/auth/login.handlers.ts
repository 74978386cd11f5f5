import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { postgresErrorCode } from "../../db/client";
import { findSignInAccount, issueSignInKey, recordLogin, type SignInAccount } from "../../db/sign-in";
import { registerUser } from "../../db/users";
import type { AppEnv } from "../../env";
import { generateApiKey, sha256Hex } from "../../lib/crypto";
import { classifyEmail } from "../../lib/email-domains";
import { badRequest, conflict, forbidden } from "../../lib/errors";
import { type VerifiedIdentity, verifyIdentityToken } from "../../lib/identity-token";
import { formatUsd, NANOS_PER_USD, type Nanos, parseUsd, usdNumber } from "../../lib/money";
import { clientIp, forgetCachedKey } from "../../middleware/auth";
import type { loginRoute } from "./login.routes";

type IssuedKey = { key: string; id: number; kind: "primary" | "sign_in"; expiresAt: Date | null } | null;

const tierNames: Record<string, string> = { basic: "Basic", pro: "Pro", max: "MAX" };
const NANOS_PER_CENT = NANOS_PER_USD / 100n;
const cents = (nanos: Nanos) => Number(nanos / NANOS_PER_CENT);

/** A username from the token's name or email: letters, digits, '_', '.', '-', 3–50 characters. */
function baseUsername(identity: VerifiedIdentity): string {
  const source = identity.name ?? identity.email?.split("@")[0] ?? "user";
  const cleaned = source
    .replace(/[^A-Za-z0-9_.-]+/g, "_")
    .replace(/^[_.-]+|[_.-]+$/g, "")
    .slice(0, 40);
  return cleaned.length >= 3 ? cleaned : `user_${cleaned}`.slice(0, 40);
}

function randomSuffix(): string {
  return [...crypto.getRandomValues(new Uint8Array(4))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Creates the account (with its primary key) for an identity seen for the first time. */
async function signUp(
  c: Context<AppEnv>,
  identity: VerifiedIdentity,
  environmentTag: "live" | "test",
  referralCode: string | null,
): Promise<{ userId: number; key: IssuedKey }> {
  const config = c.var.config;
  // Without an email claim the account gets an address that can never receive mail (RFC 2606 .invalid).
  const email = identity.email ?? `${(await sha256Hex(identity.subject)).slice(0, 24)}@sign-in.invalid`;
  const verdict = identity.email
    ? classifyEmail(email, { disposable: config.DISPOSABLE_EMAIL_DOMAINS, blocked: config.BLOCKED_EMAIL_DOMAINS })
    : "ok";
  if (verdict === "blocked") throw badRequest("This email address is not allowed", "email_not_allowed", "email");

  const { key, prefix } = generateApiKey(environmentTag);
  const base = baseUsername(identity);
  // As the seed does: a few numbered attempts, then a random suffix.
  const candidates = [base, ...[2, 3, 4, 5].map((n) => `${base}_${n}`), `${base}_${randomSuffix()}`];
  for (const username of candidates) {
    try {
      const registered = await registerUser(c.var.db(), {
        username,
        email,
        subscriptionStatus: verdict === "disposable" ? "bot" : "trial",
        authMethod: identity.email ? "email" : identity.phoneNumber ? "phone" : "email",
        trialExpiresAt: new Date(Date.now() + config.TRIAL_DAYS * 86_400_000),
        signupCredits: formatUsd(parseUsd(config.SIGNUP_CREDITS_USD)),
        keyHash: await sha256Hex(key),
        keyPrefix: prefix,
        keyName: "Primary Key",
        environmentTag,
        referralCode,
        clientIp: clientIp(c),
        authSubject: identity.subject,
      });
      return { userId: registered.userId, key: { key, id: registered.apiKeyId, kind: "primary", expiresAt: null } };
    } catch (error) {
      const { code, constraint } = postgresErrorCode(error);
      if (code === "23505" && constraint === "users_username_unique") continue;
      if (code === "23505" && constraint === "users_email_unique") {
        // The email is taken by an account this token may not claim (the email is unverified, or the
        // account is linked to another identity).
        throw conflict(
          "An account with this email already exists; sign in with an identity whose email is verified, or recover the account",
          "account_exists",
        );
      }
      if (code === "23505" && constraint === "users_auth_subject_unique") {
        throw conflict("This identity was signed up by a concurrent request; sign in again", "sign_in_race");
      }
      throw error;
    }
  }
  throw conflict("No free username could be found for this identity", "username_unavailable");
}

async function signInKeyFor(c: Context<AppEnv>, account: SignInAccount, environmentTag: "live" | "test") {
  const { key, prefix } = generateApiKey(environmentTag);
  const expiresAt = new Date(Date.now() + c.var.config.SIGN_IN_KEY_TTL_DAYS * 86_400_000);
  const issued = await issueSignInKey(c.var.db(), {
    userId: account.id,
    keyHash: await sha256Hex(key),
    keyPrefix: prefix,
    environmentTag,
    expiresAt,
    details: { ip: clientIp(c), method: "identity_token", new_user: false },
  });
  forgetCachedKey(...issued.revokedKeyHashes);
  return { key, id: issued.apiKeyId, kind: "sign_in" as const, expiresAt };
}

export const login: RouteHandler<typeof loginRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const identity = await verifyIdentityToken(c.var.config, body.token);
  const environmentTag = body.environment_tag === "live" ? "live" : "test";
  const db = c.var.db();

  let account = await findSignInAccount(db, identity.subject, identity.verifiedEmail);
  let issued: IssuedKey = null;
  const isNewUser = account === undefined;
  if (!account) {
    const created = await signUp(c, identity, environmentTag, body.referral_code ?? null);
    issued = created.key;
    await recordLogin(db, created.userId, { ip: clientIp(c), method: "identity_token", new_user: true });
    account = await findSignInAccount(db, identity.subject, null);
    if (!account) throw new Error("the account created for this identity could not be read back");
  } else {
    if (!account.isActive) throw forbidden("This account is disabled", "account_disabled");
    if (body.auto_create_api_key) issued = await signInKeyFor(c, account, environmentTag);
    else await recordLogin(db, account.id, { ip: clientIp(c), method: "identity_token", new_user: false });
  }

  const allowance = parseUsd(account.subscriptionAllowance);
  const purchased = parseUsd(account.purchasedCredits);
  return c.json(
    {
      success: true as const,
      message: isNewUser ? ("Account created successfully" as const) : ("Login successful" as const),
      user_id: account.id,
      username: account.username,
      api_key: issued?.key ?? null,
      api_key_id: issued?.id ?? null,
      api_key_kind: issued?.kind ?? null,
      api_key_expires_at: issued?.expiresAt?.toISOString() ?? null,
      auth_method: account.authMethod,
      privy_user_id: identity.subject,
      is_new_user: isNewUser,
      display_name: identity.name,
      email: account.email,
      phone_number: identity.phoneNumber,
      credits: usdNumber(allowance + purchased),
      timestamp: new Date().toISOString(),
      subscription_status: account.subscriptionStatus,
      tier: account.tier,
      tier_display_name: tierNames[account.tier] ?? account.tier,
      trial_expires_at: account.trialExpiresAt?.toISOString() ?? null,
      subscription_end_date: null,
      subscription_allowance: cents(allowance),
      purchased_credits: cents(purchased),
      total_credits: cents(allowance + purchased),
      allowance_reset_date: null,
    },
    200,
  );
};
