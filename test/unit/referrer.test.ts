import { describe, expect, it } from "vitest";
import { hostOf, isValidDomainRule, referrerAllowed } from "../../src/lib/referrer";

describe("referrer domain rules", () => {
  it("validates rules", () => {
    expect(isValidDomainRule("example.com")).toBe(true);
    expect(isValidDomainRule("*.example.com")).toBe(true);
    expect(isValidDomainRule("localhost")).toBe(true);
    expect(isValidDomainRule("https://example.com")).toBe(false);
    expect(isValidDomainRule("exa mple.com")).toBe(false);
    expect(isValidDomainRule("-bad.com")).toBe(false);
  });

  it("reads the host of a Referer or Origin header", () => {
    expect(hostOf("https://App.Example.com/path?q=1")).toBe("app.example.com");
    expect(hostOf("not a url")).toBeNull();
    expect(hostOf(undefined)).toBeNull();
  });

  it("matches the domain and its subdomains, never look-alikes", () => {
    expect(referrerAllowed("example.com", ["example.com"])).toBe(true);
    expect(referrerAllowed("a.b.example.com", ["example.com"])).toBe(true);
    expect(referrerAllowed("badexample.com", ["example.com"])).toBe(false);
    expect(referrerAllowed("example.com", ["*.example.com"])).toBe(false);
    expect(referrerAllowed("api.example.com", ["*.example.com"])).toBe(true);
    expect(referrerAllowed(null, ["example.com"])).toBe(false);
    expect(referrerAllowed(null, [])).toBe(true);
  });
});
