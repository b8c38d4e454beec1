/** The candidates from configuration ("RED,GREEN,BLUE"), in the configured order, without blanks or repeats. */
export function parseCandidates(config: string): string[] {
  const names = config.split(',').map((name) => name.trim().toUpperCase()).filter((name) => name.length > 0);
  const candidates = [...new Set(names)];
  if (candidates.length === 0) throw new Error('no candidates configured');
  return candidates;
}

/**
 * The configured candidate a voter named, ignoring case and surrounding white space (SMS bodies
 * arrive as " green \n"), or undefined when it names none.
 */
export function resolveCandidate(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.trim().toUpperCase();
  return candidates.find((candidate) => candidate === wanted);
}
