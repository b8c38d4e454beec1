import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunks, latestByKey } from '../../../src/domain/collections.ts';

describe('latestByKey', () => {
  it('keeps the last entry per key, in the order of last occurrences', () => {
    const entries = [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'a', v: 3 },
      { k: 'c', v: 4 },
    ];
    expect(latestByKey(entries, (e) => e.k)).toEqual([
      { k: 'b', v: 2 },
      { k: 'a', v: 3 },
      { k: 'c', v: 4 },
    ]);
  });

  it('leaves distinct keys, each with its last value', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat())), (entries) => {
        const result = latestByKey(entries, ([key]) => key);
        expect(new Set(result.map(([key]) => key)).size).toBe(result.length);
        for (const [key, value] of result) expect(entries.findLast(([k]) => k === key)?.[1]).toBe(value);
        expect(new Set(result.map(([key]) => key))).toEqual(new Set(entries.map(([key]) => key)));
      }),
    );
  });
});

describe('chunks', () => {
  it('cuts 500 entries into 20 requests of 25', () => {
    const result = chunks(
      Array.from({ length: 500 }, (_, i) => i),
      25,
    );
    expect(result).toHaveLength(20);
    expect(result.every((chunk) => chunk.length === 25)).toBe(true);
  });

  it('keeps every entry once, in order, in chunks of at most the size', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.integer({ min: 1, max: 30 }), (entries, size) => {
        const result = chunks(entries, size);
        expect(result.flat()).toEqual(entries);
        expect(result.every((chunk) => chunk.length >= 1 && chunk.length <= size)).toBe(true);
      }),
    );
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => chunks([1], 0)).toThrow(RangeError);
  });
});
