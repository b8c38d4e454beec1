import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, parseSearchQuery, rankMatches, snippet } from '../../../src/domain/mobile/search.ts';

const reasonOf = (input: Parameters<typeof parseSearchQuery>[0]) => {
  const parsed = parseSearchQuery(input);
  return parsed.ok ? 'ok' : `${parsed.field}: ${parsed.reason}`;
};

describe('parseSearchQuery', () => {
  it('normalises the query into distinct terms, limit 20 by default', () => {
    expect(parseSearchQuery({ q: 'Café CAFE, crème' })).toEqual({
      ok: true,
      value: { terms: ['cafe', 'creme'], limit: 20 },
    });
    expect(parseSearchQuery({ q: 'x', limit: '100' })).toEqual({ ok: true, value: { terms: ['x'], limit: 100 } });
  });

  it.each([
    [{}, /^q: q is required/],
    [{ q: '   ' }, /^q: q is required/],
    [{ q: '?!…' }, /^q: q has no words/],
    [{ q: 'a'.repeat(MAX_QUERY_CHARS + 1) }, /^q: q must be at most 200/],
    [{ q: 'a b c d e f g h i j k' }, /^q: q must have at most 10 distinct words \(got 11\)/],
    [{ q: 'x', limit: '0' }, /^limit: /],
    [{ q: 'x', limit: '101' }, /^limit: /],
    [{ q: 'x', limit: '2.5' }, /^limit: /],
    [{ q: 'x', limit: 'ten' }, /^limit: /],
  ])('refuses %j', (input, reason) => {
    expect(reasonOf(input)).toMatch(reason);
  });
});

describe('rankMatches', () => {
  const posting = (noteId: string, weight: number, updatedAt = '2026-01-01T00:00:00.000Z') => ({
    noteId,
    weight,
    updatedAt,
  });

  it('keeps only notes holding every term, best score first, ties newest first', () => {
    const milk = [posting('a', 1), posting('b', 3), posting('c', 1, '2026-02-01T00:00:00.000Z'), posting('d', 5)];
    const eggs = [posting('a', 1), posting('b', 1), posting('c', 1, '2026-02-01T00:00:00.000Z')];
    expect(rankMatches([milk, eggs])).toEqual([
      { noteId: 'b', score: 4, updatedAt: '2026-01-01T00:00:00.000Z' },
      { noteId: 'c', score: 2, updatedAt: '2026-02-01T00:00:00.000Z' },
      { noteId: 'a', score: 2, updatedAt: '2026-01-01T00:00:00.000Z' },
    ]);
  });

  it('finds nothing when a term has no notes, or without terms', () => {
    expect(rankMatches([[posting('a', 1)], []])).toEqual([]);
    expect(rankMatches([])).toEqual([]);
  });
});

describe('snippet', () => {
  const words = Array.from({ length: 100 }, (_, i) => `word${i}`);

  it('returns short texts whole, with white space collapsed', () => {
    expect(snippet('  one\n two  ', ['two'])).toBe('one two');
  });

  it('shows the text around the first matching word, cut at word boundaries', () => {
    const text = [...words.slice(0, 50), 'Crème', ...words.slice(50)].join(' ');
    const excerpt = snippet(text, ['creme'], 80);
    expect(excerpt).toMatch(/^…word\d+ .*Crème.* word\d+…$/);
    expect(excerpt.length).toBeLessThanOrEqual(82);
  });

  it('starts at the beginning when no word matches', () => {
    expect(snippet(words.join(' '), ['nothing'], 40)).toMatch(/^word0 word1 .*…$/);
  });
});
