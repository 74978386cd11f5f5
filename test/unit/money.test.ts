import { describe, expect, it } from "vitest";
import { formatUsd, NANOS_PER_USD, parseUsd, usd, usdNumber } from "../../src/lib/money";

describe("money in nano-dollars", () => {
  it("parses Postgres numeric strings exactly", () => {
    expect(parseUsd("5.000000000")).toBe(5n * NANOS_PER_USD);
    expect(parseUsd("0.000000001")).toBe(1n);
    expect(parseUsd("-0.25")).toBe(-250_000_000n);
    expect(parseUsd("12")).toBe(12n * NANOS_PER_USD);
  });

  it("refuses amounts it cannot represent exactly", () => {
    expect(() => parseUsd("0.0000000001")).toThrow(RangeError);
    expect(() => parseUsd("1e3")).toThrow(RangeError);
    expect(() => parseUsd("")).toThrow(RangeError);
  });

  it("formats with 9 decimals and round-trips", () => {
    expect(formatUsd(5n * NANOS_PER_USD)).toBe("5.000000000");
    expect(formatUsd(-1n)).toBe("-0.000000001");
    for (const text of ["0.000000000", "123456.789012345", "-42.100000000"])
      expect(formatUsd(parseUsd(text))).toBe(text);
  });

  it("adds a million tiny charges without drift, unlike floats", () => {
    const charge = parseUsd("0.000000123");
    let total = 0n;
    let float = 0;
    for (let index = 0; index < 1_000_000; index++) {
      total += charge;
      float += 0.000000123;
    }
    expect(formatUsd(total)).toBe("0.123000000");
    expect(float).not.toBe(0.123);
  });

  it("converts at the edges", () => {
    expect(usdNumber(parseUsd("5.5"))).toBe(5.5);
    expect(usd(5)).toBe(5n * NANOS_PER_USD);
    expect(usd("0.1")).toBe(100_000_000n);
  });
});
