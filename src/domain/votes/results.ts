export interface Results {
  candidates: Array<{ candidate: string; votes: number }>;
  total: number;
}

/** The totals of the configured candidates, in configured order; a candidate without a total has 0 votes. */
export function resultsOf(candidates: readonly string[], totals: ReadonlyMap<string, number>): Results {
  const rows = candidates.map((candidate) => ({ candidate, votes: totals.get(candidate) ?? 0 }));
  return { candidates: rows, total: rows.reduce((sum, row) => sum + row.votes, 0) };
}
