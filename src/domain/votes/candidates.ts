/** The candidates from configuration ("RED,GREEN,BLUE"), in the configured order, without blanks or repeats. */
export function parseCandidates(config: string): string[] {
  const candidates = candidatesIn(config);
  if (!candidates) throw new Error('no candidates configured');
  return candidates;
}

/** The candidates of a configuration text as parseCandidates reads them, or undefined when it names none. */
export function candidatesIn(config: string): string[] | undefined {
  const names = config
    .split(',')
    .map((name) => name.trim().toUpperCase())
    .filter((name) => name.length > 0);
  return names.length > 0 ? [...new Set(names)] : undefined;
}

/**
 * The configured candidate a voter named, ignoring case and surrounding white space (SMS bodies
 * arrive as " green \n"), or undefined when it names none.
 */
export function resolveCandidate(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.trim().toUpperCase();
  return candidates.find((candidate) => candidate === wanted);
}
