// Money is integer nano-dollars (bigint) in code and `numeric(20,9)` in Postgres; never a float.
export type Nanos = bigint;

export const NANOS_PER_USD = 1_000_000_000n;
const decimalPattern = /^(-)?(\d+)(?:\.(\d{1,9}))?$/;

/** Parses a decimal USD string such as Postgres returns for `numeric` ("5.000000000", "-0.25"). */
export function parseUsd(value: string): Nanos {
  const match = decimalPattern.exec(value.trim());
  if (!match) throw new RangeError(`not a USD amount with at most 9 decimals: ${value}`);
  const [, sign, whole = "0", fraction = ""] = match;
  const nanos = BigInt(whole) * NANOS_PER_USD + BigInt(fraction.padEnd(9, "0"));
  return sign ? -nanos : nanos;
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

export const usd = (dollars: number | string): Nanos =>
  parseUsd(typeof dollars === "number" ? dollars.toFixed(9) : dollars);
