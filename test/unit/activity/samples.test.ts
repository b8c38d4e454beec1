import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseActivityEvent } from '../../../src/domain/activity/event.ts';
import {
  producedUsername,
  publishOptions,
  sampleActivityEvents,
  sampleUser,
} from '../../../src/domain/activity/samples.ts';

const now = Date.parse('2026-03-04T12:00:00.000Z');

describe('sampleActivityEvents', () => {
  it('makes valid events with distinct ids, of the requested users, in mixed formats and spellings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        (events, users, seed) => {
          const random = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
            seed,
            numRuns: events * 8,
          });
          let next = 0;
          const produced = sampleActivityEvents({ events, users }, 'run1', now, () => random[next++ % random.length]!);
          const parsed = produced.map((event) => parseActivityEvent(event, now));
          expect(parsed.filter((result) => !result.ok)).toEqual([]);
          const values = parsed.map((result) => (result as { value: { username: string; id: string } }).value);
          expect(new Set(values.map((value) => value.id)).size).toBe(events);
          const allowed = new Set(Array.from({ length: users }, (_, index) => sampleUser(index)));
          for (const [index, value] of values.entries()) {
            expect(allowed.has(value.username)).toBe(true);
            expect(producedUsername(produced[index]!)).toBe(value.username);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('mixes the time formats of a larger run', () => {
    const produced = sampleActivityEvents({ events: 500, users: 5 }, 'run2', now, Math.random);
    const kinds = new Set(
      produced.map(({ timestamp }) =>
        typeof timestamp === 'number'
          ? timestamp < 1e11
            ? 's'
            : 'ms'
          : /^\d{4}-\d\d-\d\dT/.test(String(timestamp))
            ? 'iso'
            : /^\d{4}/.test(String(timestamp))
              ? 'sql'
              : 'rfc',
      ),
    );
    expect(kinds).toEqual(new Set(['s', 'ms', 'iso', 'sql', 'rfc']));
  });

  it('names users alice, bob, … and numbers them past the list', () => {
    expect([sampleUser(0), sampleUser(1), sampleUser(20), sampleUser(41)]).toEqual([
      'alice',
      'bob',
      'alice-2',
      'bob-3',
    ]);
  });
});

describe('publishOptions', () => {
  it('defaults to 100 events of 5 users', () => {
    expect(publishOptions({})).toEqual({ ok: true, value: { events: 100, users: 5 } });
  });

  it.each([
    [{ events: '0' }, /--events/],
    [{ events: '1.5' }, /--events/],
    [{ events: 'x' }, /--events/],
    [{ users: '0' }, /--users/],
    [{ users: '10001' }, /--users/],
  ])('refuses %j', (values, expected) => {
    expect(publishOptions(values)).toEqual({ ok: false, reason: expect.stringMatching(expected) });
  });
});
