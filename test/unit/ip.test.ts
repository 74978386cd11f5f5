import { describe, expect, it } from "vitest";
import { ipAllowed, ipMatchesRule, isValidIpRule } from "../../src/lib/ip";

describe("IP allowlist rules", () => {
  it.each([
    ["203.0.113.7", true],
    ["198.51.100.0/24", true],
    ["0.0.0.0/0", true],
    ["2001:db8::/32", true],
    ["::1", true],
    ["::ffff:192.0.2.1", true],
    ["256.1.1.1", false],
    ["10.0.0.0/33", false],
    ["2001:db8::/129", false],
    ["1.2.3", false],
    ["example.com", false],
    ["1:2:3:4:5:6:7:8:9", false],
    ["10.0.0.1/8/1", false],
  ])("%s is valid: %s", (rule, valid) => {
    expect(isValidIpRule(rule)).toBe(valid);
  });

  it("matches addresses and ranges of the same family", () => {
    expect(ipMatchesRule("198.51.100.255", "198.51.100.0/24")).toBe(true);
    expect(ipMatchesRule("198.51.101.0", "198.51.100.0/24")).toBe(false);
    expect(ipMatchesRule("2001:db8:ffff::1", "2001:db8::/32")).toBe(true);
    expect(ipMatchesRule("2001:db9::1", "2001:db8::/32")).toBe(false);
    expect(ipMatchesRule("192.0.2.1", "2001:db8::/32")).toBe(false);
    // IPv4-mapped IPv6 clients match IPv4 rules.
    expect(ipMatchesRule("::ffff:192.0.2.1", "192.0.2.0/24")).toBe(true);
  });

  it("allows everything when the list is empty and nothing without a client IP", () => {
    expect(ipAllowed(null, [])).toBe(true);
    expect(ipAllowed(null, ["192.0.2.1"])).toBe(false);
    expect(ipAllowed("192.0.2.1", ["203.0.113.0/24", "192.0.2.1"])).toBe(true);
  });
});
