import { DateTime } from 'luxon';
import { EARLIEST_MS, MAX_FUTURE_MS, shown } from '../parsed.ts';
import type { Result } from '../result.ts';

export { EARLIEST_MS, MAX_FUTURE_MS, shown } from '../parsed.ts';

/**
 * The time formats producers send, all read as one instant:
 * - `iso`: ISO-8601 date-time with a zone (`2026-03-04T05:06:07.123+02:00`, `…Z`);
 * - `isoLocal`: ISO-8601 date-time without a zone, read as UTC (`2026-03-04T05:06:07`);
 * - `sql`: `YYYY-MM-DD HH:mm:ss[.SSS]`, read as UTC unless it names a zone;
 * - `epochSeconds` / `epochMillis`: a number, or a string of digits. Which unit is told by magnitude: below
 *   1e11 it is seconds (1e11 s is the year 5138), from 1e11 milliseconds (1e11 ms is 1973-03-03) —
 *   every plausible time (after 2000) falls clearly on one side. Seconds may carry a fraction (ms precision);
 * - `rfc2822`: `Wed, 04 Mar 2026 05:06:07 +0000` (the weekday, if given, must match the date);
 * - `http`: an HTTP-date (`Wed, 04 Mar 2026 05:06:07 GMT`, and the obsolete RFC 850 and asctime forms);
 * - `twitter`: Twitter API v1.1's `created_at` (`Wed Mar 04 05:06:07 +0000 2026`).
 */
export type TimestampFormat =
  'iso' | 'isoLocal' | 'sql' | 'epochSeconds' | 'epochMillis' | 'rfc2822' | 'http' | 'twitter';

export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = [
  'iso',
  'isoLocal',
  'sql',
  'epochSeconds',
  'epochMillis',
  'rfc2822',
  'http',
  'twitter',
];

/** Twitter API v1.1's `created_at`, in Luxon's tokens. */
const TWITTER_FORMAT = 'EEE MMM dd HH:mm:ss ZZZ yyyy';

/** Epoch values below this are seconds, from it milliseconds. */
export const EPOCH_MILLIS_FROM = 1e11;

const UTC = { zone: 'utc' } as const;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const SQL_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/;
const DIGITS = /^\d+(\.\d+)?$/;
const EXPECTED =
  'ISO-8601 (2026-03-04T05:06:07Z; without a zone read as UTC), "YYYY-MM-DD HH:mm:ss" (UTC), epoch seconds or milliseconds, an RFC 2822 / HTTP date, or Twitter\'s created_at';

/**
 * Epoch ms of a timestamp in any of the accepted formats, or the reason it is refused: unparseable, or
 * implausible — before 2000-01-01 or more than 24 h after `now` (epoch ms, passed in: no clock here).
 */
export function parseTimestamp(value: unknown, now: number): Result<number> {
  if (value === undefined || value === null) return { ok: false, reason: 'timestamp is required' };
  const ms = timestampMs(value);
  if (ms === undefined) return { ok: false, reason: `timestamp must be ${EXPECTED} (got ${shown(value)})` };
  if (ms < EARLIEST_MS)
    return { ok: false, reason: `timestamp must be after 2000-01-01T00:00:00Z (got ${shown(value)})` };
  if (ms > now + MAX_FUTURE_MS)
    return {
      ok: false,
      reason: `timestamp is more than 24 h in the future (got ${shown(value)}; check the producer's clock)`,
    };
  return { ok: true, value: ms };
}

function timestampMs(value: unknown): number | undefined {
  if (typeof value === 'number') return epochMs(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (DIGITS.test(text)) return epochMs(Number(text));
  const parsed = ISO_DATE_TIME.test(text)
    ? DateTime.fromISO(text, UTC)
    : SQL_DATE_TIME.test(text)
      ? DateTime.fromSQL(text, UTC)
      : firstValid(
          DateTime.fromRFC2822(text, UTC),
          () => DateTime.fromHTTP(text, UTC),
          () => DateTime.fromFormat(text, TWITTER_FORMAT, TWITTER_OPTIONS),
        );
  return parsed.isValid ? parsed.toMillis() : undefined;
}

const TWITTER_OPTIONS = { ...UTC, locale: 'en-US' } as const;

function firstValid(first: DateTime, ...others: Array<() => DateTime>): DateTime {
  let parsed = first;
  for (const next of others) {
    if (parsed.isValid) return parsed;
    parsed = next();
  }
  return parsed;
}

/** Seconds or milliseconds by magnitude (see TimestampFormat); fractions of a millisecond are refused. */
function epochMs(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const ms = value < EPOCH_MILLIS_FROM ? Math.round(value * 1000) : value;
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * An instant written in one of the formats, as a producer would send it. Formats without milliseconds
 * (sql, epochSeconds, rfc2822, http, twitter) drop them; `iso` is written with the given zone offset in minutes.
 */
export function formatTimestamp(ms: number, format: TimestampFormat, offsetMinutes = 0): string | number {
  const utc = DateTime.fromMillis(ms, UTC);
  switch (format) {
    case 'iso':
      return offsetMinutes === 0 ? utc.toISO()! : utc.setZone(fixedZone(offsetMinutes)).toISO()!;
    case 'isoLocal':
      return utc.toISO({ includeOffset: false })!;
    case 'sql':
      return utc.toFormat('yyyy-MM-dd HH:mm:ss');
    case 'epochSeconds':
      return Math.floor(ms / 1000);
    case 'epochMillis':
      return ms;
    case 'rfc2822':
      return utc.setZone(fixedZone(offsetMinutes)).toRFC2822()!;
    case 'http':
      return utc.toHTTP()!;
    case 'twitter':
      return utc.setZone(fixedZone(offsetMinutes)).setLocale('en-US').toFormat(TWITTER_FORMAT);
  }
}

function fixedZone(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
}
