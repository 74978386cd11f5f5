import { describe, expect, it } from "vitest";
import { ConfigError, isConfigVariable, readConfig } from "../../src/env";
import { classifyEmail } from "../../src/lib/email-domains";
import { TtlCache } from "../../src/lib/ttl-cache";

describe("config", () => {
  it("applies documented defaults", () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      ENVIRONMENT: "production",
      AUTH_CACHE_TTL_SECONDS: 30,
      AUTH_NEGATIVE_CACHE_TTL_SECONDS: 5,
      REGISTER_RATE_LIMIT_PER_HOUR: 3,
      SIGNUP_CREDITS_USD: "5",
      TRIAL_DAYS: 3,
      CORS_ORIGINS: "*",
    });
  });

  it("names every malformed variable", () => {
    try {
      readConfig({ DATABASE_URL: "not a url", TRIAL_DAYS: "-1", SIGNUP_CREDITS_USD: "five" });
      expect.unreachable("readConfig accepted malformed variables");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toContain("DATABASE_URL");
      expect(problems).toContain("TRIAL_DAYS");
      expect(problems).toContain("SIGNUP_CREDITS_USD");
    }
  });

  it("treats empty strings as unset and splits lists", () => {
    const config = readConfig({ SENTRY_DSN: "", DISPOSABLE_EMAIL_DOMAINS: " A.example, b.example ,," });
    expect(config.SENTRY_DSN).toBeUndefined();
    expect(config.DISPOSABLE_EMAIL_DOMAINS).toEqual(["a.example", "b.example"]);
  });

  it("recognises provider variables as configuration", () => {
    expect(isConfigVariable("OPENROUTER_API_KEY")).toBe(true);
    expect(isConfigVariable("GROQ_BASE_URL")).toBe(true);
    expect(isConfigVariable("ADMIN_API_KEY")).toBe(true);
    expect(isConfigVariable("PATH")).toBe(false);
  });
});

describe("email domains", () => {
  it("classifies blocked, throwaway (incl. subdomains) and ordinary addresses", () => {
    const lists = { disposable: ["junk.example"], blocked: ["evil.example"] };
    expect(classifyEmail("a@evil.example", lists)).toBe("blocked");
    expect(classifyEmail("a@mailinator.com", lists)).toBe("disposable");
    expect(classifyEmail("a@x.junk.example", lists)).toBe("disposable");
    expect(classifyEmail("a@example.com", lists)).toBe("ok");
    expect(classifyEmail("a@notmailinator.com", lists)).toBe("ok");
  });
});

describe("TtlCache", () => {
  it("expires entries and evicts the oldest past its size", () => {
    const cache = new TtlCache<number>(2);
    cache.set("a", 1, 1000, 0);
    expect(cache.get("a", 999)).toBe(1);
    expect(cache.get("a", 1000)).toBeUndefined();
    cache.set("a", 1, 1000, 0);
    cache.set("b", 2, 1000, 0);
    cache.set("c", 3, 1000, 0);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("c", 1)).toBe(3);
  });
});
