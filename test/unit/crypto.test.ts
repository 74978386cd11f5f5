import { describe, expect, it } from "vitest";
import { constantTimeEqual, generateApiKey, keyDisplayPrefix, looksLikeApiKey, sha256Hex } from "../../src/lib/crypto";

describe("API key material", () => {
  it("generates tagged base62 keys with ~256 bits, all distinct", () => {
    const keys = new Set<string>();
    for (let index = 0; index < 500; index++) {
      const { key, prefix } = generateApiKey();
      expect(key).toMatch(/^gw_live_[0-9A-Za-z]{43}$/);
      expect(prefix).toBe(key.slice(0, 14));
      keys.add(key);
    }
    expect(keys.size).toBe(500);
    expect(generateApiKey("test").key).toMatch(/^gw_test_/);
    expect(looksLikeApiKey(generateApiKey().key)).toBe(true);
    expect(looksLikeApiKey("sk-abc")).toBe(false);
  });

  it("keeps the tag plus six characters for display", () => {
    expect(keyDisplayPrefix("gw_test_abcdefghij")).toBe("gw_test_abcdef");
  });

  it("hashes with SHA-256", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("compares secrets of any length", async () => {
    expect(await constantTimeEqual("secret-value-1", "secret-value-1")).toBe(true);
    expect(await constantTimeEqual("secret-value-1", "secret-value-2")).toBe(false);
    expect(await constantTimeEqual("short", "secret-value-1")).toBe(false);
    expect(await constantTimeEqual("", "secret-value-1")).toBe(false);
  });
});
