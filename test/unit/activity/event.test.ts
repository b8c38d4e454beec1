import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activityFromItem,
  activityItem,
  activityKey,
  MAX_MESSAGE_BYTES,
  parseActivityEvent,
  parseActivityEventText,
} from '../../../src/domain/activity/event.ts';
import {
  EARLIEST_MS,
  formatTimestamp,
  MAX_FUTURE_MS,
  TIMESTAMP_FORMATS,
} from '../../../src/domain/activity/timestamp.ts';

const now = Date.parse('2026-03-04T12:00:00.000Z');
const valid = { username: 'alice', id: 'evt-1', timestamp: '2026-03-04T05:06:07Z', message: 'signed in' };
const reason = (value: unknown) => {
  const parsed = parseActivityEvent(value, now);
  if (parsed.ok) throw new Error(`expected a refusal of ${JSON.stringify(value)}`);
  return parsed.reason;
};
const without = (field: keyof typeof valid) =>
  Object.fromEntries(Object.entries(valid).filter(([name]) => name !== field));

describe('parseActivityEvent', () => {
  it('accepts an event and normalises its time to ISO-8601 UTC and epoch ms', () => {
    expect(parseActivityEvent({ ...valid, timestamp: '2026-03-04T07:06:07.5+02:00', extra: true }, now)).toEqual({
      ok: true,
      value: {
        username: 'alice',
        id: 'evt-1',
        timestampMs: Date.parse('2026-03-04T05:06:07.500Z'),
        timestamp: '2026-03-04T05:06:07.500Z',
        message: 'signed in',
      },
    });
  });

  it.each([
    [{ userName: 'alice', eventId: 'evt-1' }],
    [{ user: 'alice', id: 'evt-1' }],
    [{ username: 'alice', user: 'alice', id: 'evt-1', eventId: 'evt-1' }], // several spellings that agree
  ])('accepts the producer spelling %j', (fields) => {
    const { username: _u, id: _i, ...rest } = valid;
    const parsed = parseActivityEvent({ ...rest, ...fields }, now);
    expect(parsed).toMatchObject({ ok: true, value: { username: 'alice', id: 'evt-1' } });
  });

  it('stores an integer id as its decimal string, and accepts an empty message', () => {
    expect(parseActivityEvent({ ...valid, id: 42, message: '' }, now)).toMatchObject({
      ok: true,
      value: { id: '42', message: '' },
    });
  });

  it('accepts a message of exactly 10 KB of UTF-8 and non-Latin names', () => {
    const message = 'é'.repeat(MAX_MESSAGE_BYTES / 2);
    expect(parseActivityEvent({ ...valid, username: 'Zoë 李', message }, now)).toMatchObject({
      ok: true,
      value: { username: 'Zoë 李', message },
    });
  });

  it.each([
    ['a string', 'alice', /must be a JSON object \(got a string of 5 characters\)/],
    ['an array', [valid], /must be a JSON object/],
    ['null', null, /must be a JSON object/],
    ['no user', without('username'), /username is required \(as username, userName, user, Username\)/],
    ['no id', without('id'), /id is required \(as id, eventId, Id\)/],
    ['no timestamp', without('timestamp'), /timestamp is required/],
    ['no message', without('message'), /message is required/],
    ['a numeric user', { ...valid, username: 7 }, /username must be a string \(got a number\)/],
    ['an object user', { ...valid, username: { name: 'alice' } }, /username must be a string \(got an object\)/],
    ['a blank user', { ...valid, username: '  ' }, /username must not be blank/],
    [
      'a user with a newline',
      { ...valid, username: 'al\nice' },
      /username must not contain control characters \(got a string of 6 characters\)/,
    ],
    ['a long user', { ...valid, username: 'x'.repeat(129) }, /username must be at most 128 characters \(got 129\)/],
    ['conflicting users', { ...valid, user: 'bob' }, /username is given differently in username and user/],
    ['a fractional id', { ...valid, id: 1.5 }, /id must be a string or an integer \(got 1.5\)/],
    ['a boolean id', { ...valid, id: true }, /id must be a string or an integer/],
    ['a long id', { ...valid, id: 'x'.repeat(257) }, /id must be at most 256 characters/],
    ['conflicting ids', { ...valid, eventId: 'evt-2' }, /id is given differently in id and eventId/],
    ['an unparseable time', { ...valid, timestamp: 'last tuesday' }, /timestamp must be ISO-8601/],
    ['a time before 2000', { ...valid, timestamp: 0 }, /after 2000-01-01/],
    ['a future time', { ...valid, timestamp: '2026-03-06T00:00:00Z' }, /more than 24 h in the future/],
    ['a numeric message', { ...valid, message: 12 }, /message must be a string \(got a number\)/],
    [
      'an over-long message',
      { ...valid, message: 'x'.repeat(MAX_MESSAGE_BYTES + 1) },
      /message must be at most 10240 bytes of UTF-8 \(got 10241\)/,
    ],
    ['a multi-byte message over 10 KB', { ...valid, message: '€'.repeat(3414) }, /at most 10240 bytes .*got 10242/],
    ['a lone surrogate', { ...valid, message: 'broken \ud800' }, /message must be valid Unicode/],
  ])('refuses %s with a reason', (_case, value, expected) => {
    expect(reason(value)).toMatch(/^invalid activity event: /);
    expect(reason(value)).toMatch(expected);
  });

  it('names user names and messages in its reasons only by kind and size (reasons are logged)', () => {
    for (const value of [
      { ...valid, username: 'ali\tce' },
      { ...valid, username: { name: 'alice' } },
      { ...valid, user: 'mallory' },
      { ...valid, message: ['secret'] },
    ]) {
      expect(reason(value)).not.toMatch(/\bali|mallory|secret/);
    }
    expect(parseActivityEventText('{"username":"alice"', now)).not.toMatchObject({
      reason: expect.stringContaining('alice'),
    });
  });

  it('gives every reason at once', () => {
    expect(reason({ user: 3, timestamp: 'soon' })).toMatch(
      /username must be a string.*; id is required.*; timestamp must be.*; message is required/,
    );
  });
});

describe('parseActivityEventText', () => {
  it('parses JSON text and refuses anything else with the reason', () => {
    expect(parseActivityEventText(JSON.stringify(valid), now).ok).toBe(true);
    expect(parseActivityEventText('{"username":', now)).toEqual({
      ok: false,
      reason: 'invalid JSON: an activity event must be a JSON object (got 12 bytes that do not parse)',
    });
  });
});

// Names as producers write them: any printable text (no control characters), not blank.
const keyText = (maxLength: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength })
    // eslint-disable-next-line no-control-regex -- the generator must avoid what the parser refuses
    .filter((text) => text.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(text) && [...text].length <= maxLength);
const plausibleSecond = fc
  .integer({ min: EARLIEST_MS / 1000, max: (now + MAX_FUTURE_MS) / 1000 })
  .map((second) => second * 1000);
const event = fc.record({
  username: keyText(40),
  id: fc.oneof(keyText(60), fc.integer({ min: 0 }).map(String)),
  timestampMs: plausibleSecond,
  message: fc.string({ unit: 'grapheme', maxLength: 200 }),
});

describe('activity events as EventData items (properties)', () => {
  it('map every valid event to an item and back, also through JSON', () => {
    fc.assert(
      fc.property(event, fc.constantFrom(...TIMESTAMP_FORMATS), (e, format) => {
        const parsed = parseActivityEvent(
          { user: e.username, eventId: e.id, timestamp: formatTimestamp(e.timestampMs, format), message: e.message },
          now,
        );
        if (!parsed.ok) throw new Error(parsed.reason);
        expect(parsed.value).toEqual({ ...e, timestamp: new Date(e.timestampMs).toISOString() });
        const item = activityItem(parsed.value);
        expect(activityFromItem(item)).toEqual(parsed.value);
        expect(activityFromItem(JSON.parse(JSON.stringify(item)))).toEqual(parsed.value);
      }),
    );
  });

  it('make the same item of the same event whatever time format and field spelling the producer used', () => {
    fc.assert(
      fc.property(event, fc.integer({ min: -14 * 60, max: 14 * 60 }), (e, offset) => {
        const spellings = [
          ['username', 'id'],
          ['userName', 'eventId'],
          ['user', 'id'],
        ] as const;
        const items = TIMESTAMP_FORMATS.flatMap((format) =>
          spellings.map(([user, id]) => {
            const parsed = parseActivityEvent(
              {
                [user]: e.username,
                [id]: e.id,
                timestamp: formatTimestamp(e.timestampMs, format, offset),
                message: e.message,
              },
              now,
            );
            if (!parsed.ok) throw new Error(parsed.reason);
            return activityItem(parsed.value);
          }),
        );
        for (const item of items) expect(item).toEqual(items[0]);
      }),
    );
  });

  it('key an event by user and id only', () => {
    fc.assert(
      fc.property(event, event, (a, b) => {
        const key = (e: typeof a) => activityKey({ username: e.username, id: e.id });
        expect(key(a) === key(b)).toBe(a.username === b.username && a.id === b.id);
      }),
    );
  });
});

describe('events of existing producers', () => {
  // A Twitter API v1.1 status as the reference producer put it on the stream (abridged: fields it ignores dropped).
  const status = {
    created_at: 'Wed Oct 10 20:19:24 +0000 2018',
    id: 1050118621198921728,
    id_str: '1050118621198921728',
    text: 'To make room for more expression, we will now count all emojis as equal—including those with gender‍‍‍ ‍‍and skin t… https://t.co/MkGjXf9aXm',
    truncated: true,
    user: { id: 6253282, id_str: '6253282', name: 'Twitter API', screen_name: 'TwitterAPI' },
    extended_tweet: {
      full_text:
        'To make room for more expression, we will now count all emojis as equal—including those with gender‍‍‍ ‍‍and skin tone modifiers 👍🏻👍🏽👍🏿. This is now reflected in Twitter-Text, our Open Source library. \n\nUsing Twitter-Text? See the forum post for detail: https://t.co/Nx1XZmRCXA',
    },
  };
  const later = Date.parse('2026-03-04T12:00:00.000Z');

  it('stores a Twitter status as the reference did: user.name, id_str, created_at, the full text', () => {
    expect(parseActivityEvent(status, later)).toEqual({
      ok: true,
      value: {
        username: 'Twitter API',
        id: '1050118621198921728',
        timestampMs: Date.parse('2018-10-10T20:19:24Z'),
        timestamp: '2018-10-10T20:19:24.000Z',
        message: status.extended_tweet.full_text,
      },
    });
  });

  it('takes text when a status has no extended text, and full_text in extended mode', () => {
    const { extended_tweet: _, ...short } = status;
    expect(parseActivityEvent({ ...short, text: 'just setting up my twttr' }, later)).toMatchObject({
      ok: true,
      value: { message: 'just setting up my twttr' },
    });
    expect(parseActivityEvent({ ...short, text: undefined, full_text: 'the whole text' }, later)).toMatchObject({
      ok: true,
      value: { message: 'the whole text' },
    });
  });

  it('refuses a status without id_str (the numeric id loses digits as a double) or without a user name, with a reason', () => {
    const { id_str: _, ...noIdStr } = status;
    expect(parseActivityEvent(noIdStr, later)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/id is required/),
    });
    expect(parseActivityEvent({ ...status, user: { screen_name: 'x' } }, later)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/username is required/),
    });
  });

  it("reads events written with EventData's own attribute names", () => {
    expect(
      parseActivityEvent(
        { Username: 'alice', Id: 'evt-1', Timestamp: '2026-03-04T05:06:07Z', Message: 'signed in' },
        now,
      ),
    ).toEqual(parseActivityEvent(valid, now));
  });

  it('refuses EventData and lower-case names that disagree', () => {
    expect(reason({ ...valid, Message: 'other' })).toMatch(/message is given differently in message and Message/);
  });
});
