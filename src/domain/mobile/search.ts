import { distinctTerms, searchTerms } from './search-terms.ts';

export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 10;
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;

export interface SearchQuery {
  terms: string[];
  limit: number;
}

export type ParsedSearch = { ok: true; value: SearchQuery } | { ok: false; reason: string; field: 'q' | 'limit' };

/** `GET /notes/search?q=&limit=` as API Gateway hands it over: `q` up to 200 characters holding 1-10 distinct terms; limit 1-100 (default 20). */
export function parseSearchQuery(input: { q?: unknown; limit?: unknown }): ParsedSearch {
  const { q, limit } = input;
  if (typeof q !== 'string' || q.trim() === '')
    return { ok: false, field: 'q', reason: 'q is required: the words to search for' };
  if (q.length > MAX_QUERY_CHARS)
    return { ok: false, field: 'q', reason: `q must be at most ${MAX_QUERY_CHARS} characters` };
  const terms = distinctTerms(q);
  if (terms.length === 0)
    return { ok: false, field: 'q', reason: 'q has no words to search for (only punctuation or symbols)' };
  if (terms.length > MAX_QUERY_TERMS)
    return {
      ok: false,
      field: 'q',
      reason: `q must have at most ${MAX_QUERY_TERMS} distinct words (got ${terms.length})`,
    };
  const parsedLimit = limitOf(limit);
  if (parsedLimit === undefined)
    return {
      ok: false,
      field: 'limit',
      reason: `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT} (default ${DEFAULT_SEARCH_LIMIT})`,
    };
  return { ok: true, value: { terms, limit: parsedLimit } };
}

function limitOf(value: unknown): number | undefined {
  if (value === undefined || value === '') return DEFAULT_SEARCH_LIMIT;
  const limit = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_SEARCH_LIMIT ? limit : undefined;
}

/** One note under one term in the index. */
export interface Posting {
  noteId: string;
  weight: number;
  updatedAt: string;
}

export interface Match {
  noteId: string;
  score: number;
  updatedAt: string;
}

/**
 * The notes that hold every query term (one postings list per term), best first: the sum of the
 * terms' weights, ties newest first, then by note id so the order is stable.
 */
export function rankMatches(postingsByTerm: ReadonlyArray<readonly Posting[]>): Match[] {
  if (postingsByTerm.length === 0) return [];
  const [first, ...rest] = postingsByTerm.map(
    (postings) => new Map(postings.map((posting) => [posting.noteId, posting])),
  );
  const matches: Match[] = [];
  for (const [noteId, posting] of first!) {
    const others = rest.map((postings) => postings.get(noteId));
    if (others.some((other) => other === undefined)) continue;
    const all = [posting, ...(others as Posting[])];
    matches.push({
      noteId,
      score: all.reduce((sum, { weight }) => sum + weight, 0),
      // Index items of one note can briefly disagree while it is re-indexed: take the newest.
      updatedAt: all.reduce((latest, { updatedAt }) => (updatedAt > latest ? updatedAt : latest), posting.updatedAt),
    });
  }
  return matches.sort(
    (a, b) => b.score - a.score || b.updatedAt.localeCompare(a.updatedAt) || a.noteId.localeCompare(b.noteId),
  );
}

export const SNIPPET_CHARS = 160;

/**
 * A short excerpt of the text around the first word that matches a query term (its start when none
 * does), cut at word boundaries, with an ellipsis where text was left out.
 */
export function snippet(text: string, terms: readonly string[], maxChars = SNIPPET_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= maxChars) return clean;
  const wanted = new Set(terms);
  const words = [...clean.matchAll(/\S+/g)];
  const hit = words.find((word) => searchTerms(word[0]).some((term) => wanted.has(term)))?.index ?? 0;
  let start = Math.max(0, hit - Math.floor(maxChars / 4));
  if (start > 0) start = words.find((word) => word.index >= start)?.index ?? start;
  let end = Math.min(clean.length, start + maxChars);
  if (end < clean.length) {
    const lastSpace = clean.lastIndexOf(' ', end);
    if (lastSpace > start) end = lastSpace;
  }
  return `${start > 0 ? '…' : ''}${clean.slice(start, end)}${end < clean.length ? '…' : ''}`;
}
