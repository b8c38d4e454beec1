import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_READING_AHEAD_MS,
  parseReading,
  parseReadingText,
  readingFromItem,
  readingItem,
  readingJson,
} from '../../../src/domain/iot/reading.ts';

const now = Date.parse('2026-03-04T12:00:00.000Z');
const reason = (value: unknown) => {
  const parsed = parseReading(value, now);
  if (parsed.ok) throw new Error(`expected a refusal of ${JSON.stringify(value)}`);
  return parsed.reason;
};

describe('parseReading', () => {
  it('accepts an ISO timestamp with a zone and normalizes it to UTC', () => {
    expect(
      parseReading(
        {
          sensorId: 'greenhouse-1',
          timestamp: '2026-03-04T13:30:00+02:00',
          humidity: 41.5,
          temperature: -3.25,
          seq: 7,
        },
        now,
      ),
    ).toEqual({
      ok: true,
      value: {
        sensorId: 'greenhouse-1',
        timestampMs: Date.parse('2026-03-04T11:30:00Z'),
        timestamp: '2026-03-04T11:30:00.000Z',
        humidity: 41.5,
        temperature: -3.25,
        seq: 7,
      },
    });
  });

  it('accepts epoch milliseconds, only one measurement, and ignores unknown fields', () => {
    expect(parseReading({ sensorId: 'a:b.c_d-1', timestamp: now - 1000, temperature: 20, battery: 0.8 }, now)).toEqual({
      ok: true,
      value: { sensorId: 'a:b.c_d-1', timestampMs: now - 1000, timestamp: '2026-03-04T11:59:59.000Z', temperature: 20 },
    });
  });

  it('accepts the bounds', () => {
    for (const reading of [
      { sensorId: 'x'.repeat(128), timestamp: now + MAX_READING_AHEAD_MS, humidity: 0, seq: 0 },
      { sensorId: 's', timestamp: new Date(now + MAX_READING_AHEAD_MS).toISOString(), humidity: 1 },
      { sensorId: 's', timestamp: '2000-01-01T00:00:00Z', humidity: 100, temperature: -80 },
      { sensorId: 's', timestamp: now, temperature: 100 },
    ])
      expect(parseReading(reading, now).ok).toBe(true);
  });

  it.each([
    [{ timestamp: now, humidity: 40 }, /sensorId is required/],
    [{ sensorId: '', timestamp: now, humidity: 40 }, /sensorId must be 1-128 characters/],
    [{ sensorId: 'x'.repeat(129), timestamp: now, humidity: 40 }, /sensorId must be 1-128/],
    [{ sensorId: 'has space', timestamp: now, humidity: 40 }, /sensorId must be .*got "has space"/],
    [{ sensorId: 'a/b', timestamp: now, humidity: 40 }, /sensorId/],
    [{ sensorId: 42, timestamp: now, humidity: 40 }, /sensorId must be .*got 42/],
    [{ sensorId: 's', humidity: 40 }, /timestamp is required/],
    [{ sensorId: 's', timestamp: 'yesterday', humidity: 40 }, /timestamp must be an ISO-8601 date-time with a zone/],
    [{ sensorId: 's', timestamp: '2026-03-04T05:06:07', humidity: 40 }, /with a zone/],
    [{ sensorId: 's', timestamp: '2026-02-30T00:00:00Z', humidity: 40 }, /ISO-8601/],
    [{ sensorId: 's', timestamp: now + 0.5, humidity: 40 }, /epoch milliseconds/],
    [
      { sensorId: 's', timestamp: Math.floor(now / 1000), humidity: 40 },
      /after 2000-01-01.*epoch seconds\? send milliseconds/,
    ],
    [{ sensorId: 's', timestamp: '1999-12-31T23:59:59Z', humidity: 40 }, /after 2000-01-01/],
    [
      { sensorId: 's', timestamp: now + MAX_READING_AHEAD_MS + 1, humidity: 40 },
      /more than 5 minutes in the future .*now is 2026-03-04T12:00:00.000Z; check the device clock/,
    ],
    [{ sensorId: 's', timestamp: '2026-03-04T13:06:00+01:00', humidity: 40 }, /more than 5 minutes in the future/],
    [{ sensorId: 's', timestamp: '2026-03-04T12:05:00.001Z', humidity: 40 }, /more than 5 minutes in the future/],
    [{ sensorId: 's', timestamp: now + 24 * 3600_000, humidity: 40 }, /more than 5 minutes in the future/],
    [{ sensorId: 's', timestamp: now, humidity: 150 }, /humidity must be a number from 0 to 100 .*got 150/],
    [{ sensorId: 's', timestamp: now, humidity: -0.1 }, /humidity must be/],
    [{ sensorId: 's', timestamp: now, humidity: '40' }, /humidity must be a number .*got "40"/],
    [
      { sensorId: 's', timestamp: now, temperature: 100.5 },
      /temperature must be a number from -80 to 100 \(degrees Celsius\)/,
    ],
    [{ sensorId: 's', timestamp: now, temperature: -81 }, /temperature/],
    [{ sensorId: 's', timestamp: now, humidity: 40, seq: -1 }, /seq must be a non-negative integer/],
    [{ sensorId: 's', timestamp: now, humidity: 40, seq: 1.5 }, /seq must be a non-negative integer/],
    [{ sensorId: 's', timestamp: now }, /needs humidity, temperature or both/],
    [{ sensorId: 's', timestamp: now, humidity: null }, /humidity must be/],
  ])('refuses %j with a reason', (value, expected) => {
    expect(reason(value)).toMatch(expected);
  });

  it('lists every problem of a reading in one reason', () => {
    expect(reason({ sensorId: '', timestamp: 'never', humidity: 101 })).toMatch(
      /^invalid reading: sensorId.*; humidity.*; timestamp/,
    );
  });

  it.each([null, [], 'text', 3])('refuses %j: a reading is a JSON object', (value) => {
    expect(reason(value)).toMatch(/must be a JSON object/);
  });

  it('cuts long input short in reasons', () => {
    expect(reason({ sensorId: 'x'.repeat(1000), timestamp: now, humidity: 40 }).length).toBeLessThan(200);
  });
});

describe('parseReadingText', () => {
  it('parses the JSON of a stream record', () => {
    expect(parseReadingText('{"sensorId":"s","timestamp":"2026-03-04T11:00:00Z","humidity":40}', now)).toMatchObject({
      ok: true,
      value: { sensorId: 's', humidity: 40 },
    });
  });

  it.each(['', '{"sensorId":', 'not json'])('refuses %j as invalid JSON', (text) => {
    expect(parseReadingText(text, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid JSON/) });
  });
});

const readings = fc
  .record({
    sensorId: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/),
    timestampMs: fc.integer({ min: Date.UTC(2000, 0, 1), max: now }),
    humidity: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    temperature: fc.option(fc.double({ min: -80, max: 100, noNaN: true }), { nil: undefined }),
    seq: fc.option(fc.nat(), { nil: undefined }),
  })
  .filter((r) => r.humidity !== undefined || r.temperature !== undefined)
  .map((r) =>
    parseReading(Object.fromEntries(Object.entries({ ...r, timestamp: r.timestampMs, timestampMs: undefined })), now),
  );

describe('readingItem, readingFromItem and readingJson', () => {
  it('map a reading to its SensorData item and back', () => {
    const parsed = parseReading({ sensorId: 's', timestamp: '2026-03-04T11:00:00Z', humidity: 40, seq: 3 }, now);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(readingItem(parsed.value)).toEqual({
      SensorId: 's',
      Timestamp: Date.parse('2026-03-04T11:00:00Z'),
      TimestampIso: '2026-03-04T11:00:00.000Z',
      Humidity: 40,
      Seq: 3,
    });
    expect(readingFromItem(readingItem(parsed.value))).toEqual(parsed.value);
  });

  it('round-trip every valid reading through the item and through the JSON', () => {
    fc.assert(
      fc.property(readings, (parsed) => {
        if (!parsed.ok) throw new Error(parsed.reason);
        expect(readingFromItem(readingItem(parsed.value))).toEqual(parsed.value);
        expect(parseReadingText(JSON.stringify(readingJson(parsed.value)), now)).toEqual(parsed);
        expect(Object.values(readingItem(parsed.value))).not.toContain(undefined);
      }),
    );
  });

  it('rounds measurements to 6 decimal places, so values DynamoDB cannot store (5e-324) become 0', () => {
    const parsed = parseReading(
      { sensorId: 's', timestamp: '2026-03-04T11:00:00Z', humidity: 5e-324, temperature: 21.123456789 },
      now,
    );
    expect(parsed.ok && [parsed.value.humidity, parsed.value.temperature]).toEqual([0, 21.123457]);
  });

  it('reads -0 as 0, since JSON cannot carry the sign', () => {
    const parsed = parseReading({ sensorId: 's', timestamp: '2026-03-04T11:00:00Z', temperature: -0 }, now);
    expect(parsed.ok && Object.is(parsed.value.temperature, 0)).toBe(true);
  });

  it('derives the ISO time from Timestamp when TimestampIso is missing, and drops malformed attributes', () => {
    expect(readingFromItem({ SensorId: 's', Timestamp: 0, Humidity: '40' })).toEqual({
      sensorId: 's',
      timestampMs: 0,
      timestamp: '1970-01-01T00:00:00.000Z',
    });
  });
});
