import type { KeyIdentity } from "../db/api-keys";

/** Who is calling: a user through one of their API keys, or the operator's bootstrap ADMIN_API_KEY. */
export type AuthContext =
  | { kind: "user"; user: KeyIdentity["user"]; key: KeyIdentity["key"]; isAdmin: boolean }
  | { kind: "admin_key"; isAdmin: true }
  /** Chat completions without a key, when ANONYMOUS_ALLOWED_MODELS is set. */
  | { kind: "anonymous"; isAdmin: false };
