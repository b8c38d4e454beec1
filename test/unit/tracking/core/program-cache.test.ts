import { describe, expect, it } from 'vitest';
import type { CoreData } from '../../../../src/domain/tracking/core-data.ts';
import { createProgramCache, PROGRAM_CACHE_MAX, PROGRAM_CACHE_TTL_MS } from '../../../../src/domain/tracking/program-cache.ts';

const program = (programId: string, version = 1, valid = true): CoreData => ({ programId, programName: `Program ${programId}`, checksum: 'abc', customerId: 7, customerName: 'ACME', valid, version });

/** A clock the test moves by hand. */
function fakeClock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

describe('program cache (LRU + TTL)', () => {
  it('is sized and timed as DESIGN.md says: 100,000 programs, 10 minutes', () => {
    expect(PROGRAM_CACHE_MAX).toBe(100_000);
    expect(PROGRAM_CACHE_TTL_MS).toBe(600_000);
  });

  it('forgets a program once its TTL has passed, not before', () => {
    const clock = fakeClock();
    const cache = createProgramCache({ now: clock.now, ttlMs: 600_000 });
    cache.remember(program('a'));
    clock.advance(599_999);
    expect(cache.get('a')).toEqual(program('a'));
    clock.advance(2);
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not extend the TTL on reads: a hot program is still re-read after 10 minutes', () => {
    const clock = fakeClock();
    const cache = createProgramCache({ now: clock.now, ttlMs: 1_000 });
    cache.remember(program('a'));
    for (let step = 0; step < 4; step += 1) {
      clock.advance(300);
      cache.get('a');
    }
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the least recently used program when full', () => {
    const cache = createProgramCache({ max: 2, now: fakeClock().now });
    cache.remember(program('a'));
    cache.remember(program('b'));
    cache.get('a');
    cache.remember(program('c'));
    expect([cache.get('a')?.programId, cache.get('b'), cache.get('c')?.programId]).toEqual(['a', undefined, 'c']);
    expect(cache.size).toBe(2);
  });

  it('replaces a program on a pushed newer version and restarts its TTL', () => {
    const clock = fakeClock();
    const cache = createProgramCache({ now: clock.now, ttlMs: 1_000 });
    cache.remember(program('a', 1, true));
    clock.advance(900);
    cache.remember(program('a', 2, false));
    expect(cache.get('a')).toMatchObject({ version: 2, valid: false });
    clock.advance(900);
    expect(cache.get('a')).toMatchObject({ version: 2 });
  });

  it('keeps a newer program when an older read arrives late', () => {
    const cache = createProgramCache({ now: fakeClock().now });
    cache.remember(program('a', 5, false));
    cache.remember(program('a', 4, true));
    expect(cache.get('a')).toMatchObject({ version: 5, valid: false });
  });

  it('forgets everything on clear', () => {
    const cache = createProgramCache({ now: fakeClock().now });
    cache.remember(program('a'));
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });
});
