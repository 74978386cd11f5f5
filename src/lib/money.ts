// Money is integer nano-dollars (bigint) in code and `numeric(20,9)` in Postgres; never a float.
export type Nanos = bigint;

export const NANOS_PER_USD = 1_000_000_000n;

/** Parses a decimal string into an integer count of 10^-scale units, refusing anything inexact. */
export function parseDecimal(value: string, scale: number): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  const fraction = match?.[3] ?? "";
  if (!match || fraction.replace(/0+$/, "").length > scale) {
    throw new RangeError(`not a decimal with at most ${scale} decimals: ${value}`);
  }
  const units = BigInt(match[2] ?? "0") * 10n ** BigInt(scale) + BigInt(fraction.slice(0, scale).padEnd(scale, "0"));
  return match[1] ? -units : units;
}

/** Parses a decimal USD string such as Postgres returns for `numeric` ("5.000000000", "-0.25"). */
export function parseUsd(value: string): Nanos {
  return parseDecimal(value, 9);
}

/** Exact decimal string with 9 decimals, suitable for a `numeric` parameter. */
export function formatUsd(nanos: Nanos): string {
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const whole = magnitude / NANOS_PER_USD;
  const fraction = (magnitude % NANOS_PER_USD).toString().padStart(9, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** For JSON responses only: the nearest number to an exact amount (never used for arithmetic). */
export function usdNumber(nanos: Nanos): number {
  return Number(formatUsd(nanos));
}

/** For JSON responses only: a decimal USD string from Postgres as the nearest number. */
export function usdNumberOf(decimal: string): number {
  return usdNumber(parseUsd(decimal));
}

export const usd = (dollars: number | string): Nanos =>
  parseUsd(typeof dollars === "number" ? dollars.toFixed(9) : dollars);
