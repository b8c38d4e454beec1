// Variants compared on a busy machine: each round runs every variant once, in turn (A, B, C, A, B, C, …),
// so a slow spell hits all of them alike, and the figure to trust is the median of per-round ratios.

/** One thing to measure: `measure(round)` returns one sample (ms, records/s, …; the caller says which). */
export interface Variant {
  name: string;
  measure: (round: number) => Promise<number>;
}

export interface InterleaveOptions {
  /** Rounds (every variant runs once per round). */
  rounds: number;
  /** The variant the others are divided by, per round; defaults to the first. */
  reference?: string;
  /** Called after each sample, e.g. for progress. */
  onSample?: (name: string, round: number, value: number) => void;
}

/** Median, quartiles and extremes of some samples. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

export interface VariantResult {
  name: string;
  samples: number[];
  value: Spread;
  /** This variant's sample divided by the reference's sample of the same round, over the rounds. */
  ratio: Spread;
}

/**
 * Runs the variants interleaved for `rounds` rounds and returns, per variant (in the given order), its
 * samples with their spread, and the spread of its per-round ratios to the reference variant.
 */
export async function interleave(variants: readonly Variant[], options: InterleaveOptions): Promise<VariantResult[]> {
  const referenceName = options.reference ?? variants[0]?.name;
  const samples = new Map(variants.map((variant) => [variant.name, [] as number[]]));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const variant of variants) {
      const value = await variant.measure(round);
      samples.get(variant.name)!.push(value);
      options.onSample?.(variant.name, round, value);
    }
  }
  const reference = samples.get(referenceName ?? '');
  if (!reference) throw new Error(`interleave: no variant named ${referenceName}`);
  return variants.map(({ name }) => {
    const own = samples.get(name)!;
    return {
      name,
      samples: own,
      value: spread(own),
      ratio: spread(own.map((value, round) => value / reference[round]!)),
    };
  });
}

/** Median, quartiles (linear interpolation) and extremes; NaN for no samples. */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    if (sorted.length === 0) return Number.NaN;
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    return sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low);
  };
  return { median: at(0.5), q1: at(0.25), q3: at(0.75), min: at(0), max: at(1) };
}

/** A ratio spread as one cell: `1.12× (IQR 1.05–1.18, min–max 0.98–1.30)`. */
export function formatRatio(ratio: Spread, digits = 2): string {
  const f = (value: number) => value.toFixed(digits);
  return `${f(ratio.median)}× (IQR ${f(ratio.q1)}–${f(ratio.q3)}, ${f(ratio.min)}–${f(ratio.max)})`;
}

/**
 * Rows for console.table: per variant its median sample (column `unit`), and its median ratio to the
 * reference with the IQR and extremes.
 */
export function ratioTable(
  results: readonly VariantResult[],
  unit: string,
  digits = 0,
): Record<string, Record<string, string | number>> {
  return Object.fromEntries(
    results.map((result) => [
      result.name,
      {
        [`median ${unit}`]: Number(result.value.median.toFixed(digits)),
        [`${unit} min–max`]: `${result.value.min.toFixed(digits)}–${result.value.max.toFixed(digits)}`,
        'ratio to reference': formatRatio(result.ratio),
      },
    ]),
  );
}

/**
 * The same rounds for variants whose run answers more than one number (e.g. requests/s and p99):
 * each variant's results in round order.
 */
export async function interleaveRuns<T>(
  variants: Record<string, () => Promise<T>>,
  rounds: number,
): Promise<Record<string, T[]>> {
  const results = Object.fromEntries(Object.keys(variants).map((name) => [name, [] as T[]]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, run] of Object.entries(variants)) results[name]!.push(await run());
  }
  return results;
}

/** The median of some numbers; NaN for none. */
export const median = (values: readonly number[]): number => spread(values).median;
