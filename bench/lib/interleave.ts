/**
 * Runs each variant once per round, in turn (A, B, A, B, …), so a machine that gets busier or quieter
 * during the run affects every variant alike; answers each variant's results in round order.
 */
export async function interleave<T>(variants: Record<string, () => Promise<T>>, rounds: number): Promise<Record<string, T[]>> {
  const results = Object.fromEntries(Object.keys(variants).map((name) => [name, [] as T[]]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, run] of Object.entries(variants)) results[name]!.push(await run());
  }
  return results;
}

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
