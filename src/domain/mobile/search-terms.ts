/**
 * Search terms of notes and of queries, normalised the same way on both sides so they meet in the
 * index: lower case, Unicode compatibility decomposition (NFKD) with the combining marks removed
 * (Crème -> creme, ﬁ -> fi), apostrophes inside a word dropped (don't -> dont), and every other
 * character that is not a letter or a digit a separator (punctuation, symbols, spaces).
 *
 * No stop words are dropped: notes are short, written in any language, and a search must find what
 * the user typed ("to be or not to be" is a fine headline); a fixed English list would make such
 * queries empty. Scripts written without spaces (Chinese, Japanese) index whole runs as one term.
 */

/** Longer terms are cut (on both sides alike): keys stay small, and a URL or hash is still findable by its start. */
export const MAX_TERM_LENGTH = 64;

/** Weight of one occurrence of a term in the headline; one in the text counts 1. */
export const HEADLINE_WEIGHT = 3;

const MARKS = /\p{M}+/gu;
const INNER_APOSTROPHE = /(?<=[\p{L}\p{N}])['\u2019](?=[\p{L}\p{N}])/gu;
const TERM = /[\p{L}\p{N}]+/gu;

/** The terms of a text, in order, with repeats. */
export function searchTerms(text: string): string[] {
  const normalised = foldCase(text).replace(MARKS, '').replace(INNER_APOSTROPHE, '');
  return (normalised.match(TERM) ?? []).map(cut);
}

/** Decomposes and lower-cases until stable: each can undo the other (𝐀 -> A -> a, İ -> i + dot above). */
function foldCase(text: string): string {
  let folded = text;
  for (let round = 0; round < 4; round += 1) {
    const next = folded.normalize('NFKD').toLowerCase();
    if (next === folded) break;
    folded = next;
  }
  return folded;
}

/** The distinct terms of a text, in order of first appearance. */
export function distinctTerms(text: string): string[] {
  return [...new Set(searchTerms(text))];
}

/** Each distinct term of a note with its weight: occurrences in the headline count HEADLINE_WEIGHT, in the text 1. */
export function termWeights(note: { headline: string; text: string }): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (terms: string[], weight: number) => {
    for (const term of terms) weights.set(term, (weights.get(term) ?? 0) + weight);
  };
  add(searchTerms(note.headline), HEADLINE_WEIGHT);
  add(searchTerms(note.text), 1);
  return weights;
}

function cut(term: string): string {
  if (term.length <= MAX_TERM_LENGTH) return term;
  return Array.from(term).slice(0, MAX_TERM_LENGTH).join(''); // by code point: never half a surrogate pair
}
