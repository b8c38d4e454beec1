import { describe, expect, it } from 'vitest';
import type { CoreData } from '../../../../src/domain/tracking/core-data.ts';
import {
  createProgramCache,
  createProgramLookup,
  PROGRAM_CACHE_MAX,
  PROGRAM_CACHE_TTL_MS,
  UNKNOWN_PROGRAM_TTL_MS,
} from '../../../../src/domain/tracking/program-cache.ts';

const program = (programId: string, version = 1, valid = true): CoreData => ({
  programId,
  programName: `Program ${programId}`,
  checksum: 'abc',
  customerId: 7,
  customerName: 'ACME',
  valid,
  version,
});

/** A clock the test moves by hand. */
function fakeClock(start = 1_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
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

describe('unknown program ids (negative cache)', () => {
  it('remembers an unknown id for 10 s, not longer', () => {
    expect(UNKNOWN_PROGRAM_TTL_MS).toBe(10_000);
    const clock = fakeClock();
    const cache = createProgramCache({ now: clock.now });
    cache.rememberUnknown('ghost');
    clock.advance(10_000);
    expect(cache.isKnownUnknown('ghost')).toBe(true);
    clock.advance(1);
    expect(cache.isKnownUnknown('ghost')).toBe(false);
  });

  it('lets a pushed program replace the mark at once, and never marks a program it holds', () => {
    const cache = createProgramCache({ now: fakeClock().now });
    cache.rememberUnknown('a');
    cache.remember(program('a'));
    expect([cache.isKnownUnknown('a'), cache.get('a')]).toEqual([false, program('a')]);
    cache.rememberUnknown('a'); // a Redis read that started before the push, answered after it
    expect([cache.isKnownUnknown('a'), cache.get('a')]).toEqual([false, program('a')]);
  });

  it('keeps marks apart from programs: a flood of random ids evicts no program; clear forgets both', () => {
    const cache = createProgramCache({ max: 2, now: fakeClock().now });
    cache.remember(program('a'));
    cache.remember(program('b'));
    for (let i = 0; i < 100; i += 1) cache.rememberUnknown(`random-${i}`);
    expect([cache.get('a')?.programId, cache.get('b')?.programId, cache.size]).toEqual(['a', 'b', 2]);
    expect([cache.isKnownUnknown('random-99'), cache.isKnownUnknown('random-0')]).toEqual([true, false]);
    cache.clear();
    expect([cache.get('a'), cache.isKnownUnknown('random-99')]).toEqual([undefined, false]);
  });
});

describe('program lookup (cache, then the loader: Redis in production)', () => {
  /** A loader over a map of programs that counts its calls, as Redis reads would be counted. */
  function countingLoader(programs: Map<string, CoreData> = new Map()) {
    const calls: string[] = [];
    return {
      calls,
      programs,
      load: async (programId: string) => {
        calls.push(programId);
        return programs.get(programId);
      },
    };
  }

  it('reads an unknown id once per 10 s however many hits ask for it, sequential or concurrent', async () => {
    const clock = fakeClock();
    const loader = countingLoader();
    const lookup = createProgramLookup(createProgramCache({ now: clock.now }), loader.load);
    // A burst before the first read has answered shares that read.
    expect(await Promise.all(Array.from({ length: 500 }, () => lookup('ghost')))).toEqual(Array(500).fill(undefined));
    for (let second = 0; second < 10; second += 1) {
      for (let hit = 0; hit < 100; hit += 1) expect(await lookup('ghost')).toBeUndefined();
      clock.advance(1_000);
    }
    expect(loader.calls).toEqual(['ghost']);
    clock.advance(1); // 10 s and 1 ms after the read: ask again
    await lookup('ghost');
    expect(loader.calls).toEqual(['ghost', 'ghost']);
  });

  it('sees a program published after its id was found unknown at once, without a read', async () => {
    const cache = createProgramCache({ now: fakeClock().now });
    const loader = countingLoader();
    const lookup = createProgramLookup(cache, loader.load);
    expect(await lookup('new')).toBeUndefined();
    cache.remember(program('new')); // the core-data message on the channel
    expect(await lookup('new')).toEqual(program('new'));
    expect(loader.calls).toEqual(['new']);
  });

  it('answers a push that arrived during the read, not the read', async () => {
    const cache = createProgramCache({ now: fakeClock().now });
    let answer!: (found: CoreData | undefined) => void;
    const lookup = createProgramLookup(
      cache,
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    );
    const pending = lookup('a');
    cache.remember(program('a', 2, false));
    answer(undefined); // Redis was read before the update was applied
    expect(await pending).toEqual(program('a', 2, false));
    expect(cache.isKnownUnknown('a')).toBe(false);
  });

  it('caches known programs and reads again after a failed read', async () => {
    const loader = countingLoader(new Map([['a', program('a')]]));
    let failing = true;
    const lookup = createProgramLookup(createProgramCache({ now: fakeClock().now }), async (programId) => {
      if (failing) throw new Error('Redis unreachable');
      return loader.load(programId);
    });
    await expect(lookup('a')).rejects.toThrow('Redis unreachable');
    failing = false;
    expect([await lookup('a'), await lookup('a')]).toEqual([program('a'), program('a')]);
    expect(loader.calls).toEqual(['a']);
  });
});
