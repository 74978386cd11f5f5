// Key material: API keys are random, shown once, and only their SHA-256 hash is stored.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export type KeyEnvironment = "live" | "test";

/** 43 base62 characters ≈ 256 bits of entropy after the `gw_<env>_` tag. */
const keyBodyLength = 43;
/** How much of the key is kept for display: the tag plus 6 characters, e.g. `gw_live_a1B2c3`. */
const displayPrefixLength = 6;

export function generateApiKey(environment: KeyEnvironment = "live"): { key: string; prefix: string } {
  // Rejection sampling keeps every base62 character equally likely.
  const body: string[] = [];
  while (body.length < keyBodyLength) {
    for (const byte of crypto.getRandomValues(new Uint8Array(64))) {
      if (byte < 248 && body.length < keyBodyLength) body.push(base62[byte % 62] ?? "0");
    }
  }
  const key = `gw_${environment}_${body.join("")}`;
  return { key, prefix: keyDisplayPrefix(key) };
}

/** The part of a key kept for display: its tag plus a few characters. */
export function keyDisplayPrefix(key: string): string {
  const tagLength = key.indexOf("_", 3) + 1;
  return key.slice(0, tagLength + displayPrefixLength);
}

export function looksLikeApiKey(value: string): boolean {
  return /^gw_(live|test)_[0-9A-Za-z]{20,}$/.test(value);
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Compares two secrets in time independent of where they differ (hashing equalises lengths). */
export async function constantTimeEqual(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
