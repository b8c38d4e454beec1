import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EARLIEST_MS,
  formatTimestamp,
  MAX_FUTURE_MS,
  parseTimestamp,
  TIMESTAMP_FORMATS,
} from '../../../src/domain/activity/timestamp.ts';

const now = Date.parse('2026-03-04T12:00:00.000Z');
const at = Date.parse('2026-03-04T05:06:07.000Z');
const reason = (value: unknown) => {
  const parsed = parseTimestamp(value, now);
  if (parsed.ok) throw new Error(`expected a refusal of ${JSON.stringify(value)}`);
  return parsed.reason;
};

describe('parseTimestamp', () => {
  it.each([
    ['2026-03-04T05:06:07Z', at],
    ['2026-03-04T05:06:07.250Z', at + 250],
    ['2026-03-04T07:06:07+02:00', at],
    ['2026-03-04T00:06:07-0500', at],
    ['2026-03-04T05:06:07', at], // ISO without a zone: UTC
    ['2026-03-04T05:06:07.5', at + 500],
    ['2026-03-04 05:06:07', at], // SQL style: UTC
    ['2026-03-04 05:06:07.125', at + 125],
    [1772600767, at], // epoch seconds
    [1772600767.25, at + 250],
    ['1772600767', at],
    [1772600767000, at], // epoch milliseconds
    ['1772600767000', at],
    ['Wed, 04 Mar 2026 05:06:07 +0000', at], // RFC 2822
    ['Wed, 04 Mar 2026 06:06:07 +0100', at],
    ['4 Mar 2026 05:06:07 GMT', at],
    ['Wed, 04 Mar 2026 05:06:07 GMT', at], // HTTP-date (IMF-fixdate)
    ['Wednesday, 04-Mar-26 05:06:07 GMT', at], // HTTP-date (RFC 850)
    ['Wed Mar  4 05:06:07 2026', at], // HTTP-date (asctime)
    ['  2026-03-04T05:06:07Z ', at],
  ])('reads %j', (value, expected) => {
    expect(parseTimestamp(value, now)).toEqual({ ok: true, value: expected });
  });

  it('accepts the bounds: 2000-01-01 and 24 h ahead', () => {
    expect(parseTimestamp('2000-01-01T00:00:00Z', now)).toEqual({ ok: true, value: EARLIEST_MS });
    expect(parseTimestamp(now + MAX_FUTURE_MS, now)).toEqual({ ok: true, value: now + MAX_FUTURE_MS });
  });

  it.each([
    [undefined, /timestamp is required/],
    [null, /timestamp is required/],
    ['yesterday', /timestamp must be ISO-8601 .* \(got "yesterday"\)/],
    ['', /timestamp must be/],
    ['2026-03-04', /timestamp must be/], // a date is not an instant
    ['2026-02-30T00:00:00Z', /timestamp must be/],
    ['2026-03-04T25:00:00Z', /timestamp must be/],
    ['Thu, 04 Mar 2026 05:06:07 GMT', /timestamp must be/], // the weekday contradicts the date
    [true, /timestamp must be/],
    [{ seconds: 1 }, /timestamp must be/],
    [-5, /timestamp must be/],
    [Number.NaN, /timestamp must be/],
    [1772600767000.5, /timestamp must be/],
    [1e300, /timestamp must be/],
    [946684799, /after 2000-01-01/],
    ['1999-12-31T23:59:59Z', /after 2000-01-01/],
    [now + MAX_FUTURE_MS + 1, /more than 24 h in the future/],
    ['2027-01-01T00:00:00Z', /more than 24 h in the future/],
  ])('refuses %j with a reason', (value, expected) => {
    expect(reason(value)).toMatch(expected);
  });
});

describe('formatTimestamp and parseTimestamp', () => {
  const plausible = fc.integer({ min: EARLIEST_MS, max: now + MAX_FUTURE_MS });
  const offset = fc.integer({ min: -14 * 60, max: 14 * 60 });

  it('read back every instant written in any format (to the second where the format has no milliseconds)', () => {
    fc.assert(
      fc.property(plausible, fc.constantFrom(...TIMESTAMP_FORMATS), offset, (ms, format, offsetMinutes) => {
        const precise = ['iso', 'isoLocal', 'epochMillis'].includes(format);
        const expected = precise ? ms : Math.floor(ms / 1000) * 1000;
        expect(parseTimestamp(formatTimestamp(ms, format, offsetMinutes), now)).toEqual({ ok: true, value: expected });
      }),
    );
  });

  it('tell epoch seconds from epoch milliseconds by magnitude across the plausible range', () => {
    fc.assert(
      fc.property(plausible, (ms) => {
        const second = Math.floor(ms / 1000);
        expect(parseTimestamp(second, now)).toEqual(parseTimestamp(second * 1000, now));
      }),
    );
  });
});
