/** `part` as a percentage of `whole`, to 2 decimals (0 when there is no whole). Counts, never money. */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0;
}
