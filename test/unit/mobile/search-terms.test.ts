import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinctTerms, MAX_TERM_LENGTH, searchTerms, termWeights } from '../../../src/domain/mobile/search-terms.ts';

describe('searchTerms', () => {
  it('lower-cases, strips accents and splits on punctuation', () => {
    expect(searchTerms('Crème Brûlée, NAÏVE café!')).toEqual(['creme', 'brulee', 'naive', 'cafe']);
    expect(searchTerms('e-mail/URL: https://example.com/a?b=1')).toEqual([
      'e',
      'mail',
      'url',
      'https',
      'example',
      'com',
      'a',
      'b',
      '1',
    ]);
  });

  it('folds compatibility characters and keeps words in other scripts', () => {
    expect(searchTerms('ﬁnance Ｆｕｌｌｗｉｄｔｈ ①')).toEqual(['finance', 'fullwidth', '1']);
    expect(searchTerms('Ελληνικά кириллица Straße')).toEqual(['ελληνικα', 'кириллица', 'straße']);
  });

  it('joins words across an inner apostrophe, but not quotes around a word', () => {
    expect(searchTerms("Don't forget O’Neil's 'quoted'")).toEqual(['dont', 'forget', 'oneils', 'quoted']);
  });

  it('drops no stop words and keeps repeats', () => {
    expect(searchTerms('To be or not to be')).toEqual(['to', 'be', 'or', 'not', 'to', 'be']);
    expect(distinctTerms('To be or not to be')).toEqual(['to', 'be', 'or', 'not']);
  });

  it('finds nothing in punctuation, symbols and space', () => {
    expect(searchTerms(' -- ... !? ☺ \n\t ')).toEqual([]);
  });

  it('cuts long terms at a code point', () => {
    const long = `${'a'.repeat(MAX_TERM_LENGTH - 1)}😀😀`;
    expect(searchTerms('x'.repeat(100))).toEqual(['x'.repeat(MAX_TERM_LENGTH)]);
    expect(searchTerms(long)[0]!.length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
  });

  it('is idempotent: the terms of a term are the term (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        for (const term of searchTerms(text)) expect(searchTerms(term)).toEqual([term]);
      }),
    );
  });

  it('normalises a query and a note alike, whatever their case or accents (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), (text) => {
        expect(searchTerms(text.toUpperCase())).toEqual(searchTerms(text));
        expect(searchTerms(text.normalize('NFD'))).toEqual(searchTerms(text.normalize('NFC')));
      }),
    );
  });
});

describe('termWeights', () => {
  it('counts a headline occurrence 3 and a text occurrence 1', () => {
    expect(termWeights({ headline: 'Shopping list', text: 'milk, eggs, more milk; list done' })).toEqual(
      new Map([
        ['shopping', 3],
        ['list', 4],
        ['milk', 2],
        ['eggs', 1],
        ['more', 1],
        ['done', 1],
      ]),
    );
  });
});
