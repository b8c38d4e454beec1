import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, parseReadingsQuery } from '../../../src/domain/iot/query.ts';

const now = Date.parse('2026-03-04T12:00:00.000Z');
const HOUR = 3_600_000;
const value = (input: Parameters<typeof parseReadingsQuery>[0]) => {
  const parsed = parseReadingsQuery(input, now);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

describe('parseReadingsQuery', () => {
  it('defaults to the last 24 h and 100 readings', () => {
    expect(value({ sensorId: 's-1' })).toEqual({ sensorId: 's-1', fromMs: now - 24 * HOUR, toMs: now, limit: 100 });
  });

  it('takes from and to as ISO-8601 or epoch ms strings, and to defaults to now', () => {
    expect(value({ sensorId: 's', from: '2026-03-04T10:00:00+01:00', to: String(now - HOUR), limit: '1000' })).toEqual({
      sensorId: 's',
      fromMs: Date.parse('2026-03-04T09:00:00Z'),
      toMs: now - HOUR,
      limit: 1000,
    });
    expect(value({ sensorId: 's', from: '2026-03-01T00:00:00Z' })).toMatchObject({
      fromMs: Date.parse('2026-03-01T00:00:00Z'),
      toMs: now,
    });
    expect(value({ sensorId: 's', to: '2026-03-01T00:00:00Z' })).toMatchObject({
      fromMs: Date.parse('2026-02-28T00:00:00Z'),
    });
  });

  it('ignores other query parameters and empty values', () => {
    expect(value({ sensorId: 's', from: '', limit: '', cursor: '', utm: 'x' })).toEqual({
      sensorId: 's',
      fromMs: now - 24 * HOUR,
      toMs: now,
      limit: 100,
    });
  });

  it('accepts a range of exactly 31 days', () => {
    expect(value({ sensorId: 's', from: now - 31 * 24 * HOUR })).toMatchObject({ fromMs: now - 31 * 24 * HOUR });
  });

  it.each([
    [{ sensorId: '' }, 'sensorId'],
    [{ sensorId: 'a b' }, 'sensorId'],
    [{ sensorId: 's', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'from'],
    [{ sensorId: 's', from: now - 31 * 24 * HOUR - 1 }, 'from'],
    [{ sensorId: 's', from: 'yesterday' }, 'from'],
    [{ sensorId: 's', to: '2026-03-04' }, 'to'],
    [{ sensorId: 's', to: '-5' }, 'to'],
    [{ sensorId: 's', limit: '0' }, 'limit'],
    [{ sensorId: 's', limit: '1001' }, 'limit'],
    [{ sensorId: 's', limit: 'ten' }, 'limit'],
    [{ sensorId: 's', limit: '1.5' }, 'limit'],
    [{ sensorId: 's', cursor: 'not-a-cursor' }, 'cursor'],
    [{ sensorId: 's', cursor: '!!!' }, 'cursor'],
  ])('refuses %j on %s with a reason', (input, field) => {
    expect(parseReadingsQuery(input, now)).toEqual({ ok: false, field, reason: expect.any(String) });
  });

  it('says what is wrong in terms a client can act on', () => {
    expect(parseReadingsQuery({ sensorId: 's', limit: '0' }, now)).toMatchObject({
      reason: 'limit must be an integer from 1 to 1000 (default 100)',
    });
    expect(parseReadingsQuery({ sensorId: 's', from: 'yesterday' }, now)).toMatchObject({
      reason: expect.stringContaining('ISO-8601'),
    });
  });
});

describe('cursors', () => {
  it('continue the listing of the same sensor from the last key', () => {
    const cursor = encodeCursor({ SensorId: 's', Timestamp: now - HOUR });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(value({ sensorId: 's', cursor })).toMatchObject({
      exclusiveStart: { SensorId: 's', Timestamp: now - HOUR },
    });
  });

  it('carry the range of the first page, so later pages cover the same range when it was defaulted', () => {
    const first = value({ sensorId: 's' });
    const cursor = encodeCursor({ SensorId: 's', Timestamp: now - 23 * HOUR }, first);
    const later = parseReadingsQuery({ sensorId: 's', cursor }, now + 2 * HOUR);
    expect(later).toEqual({
      ok: true,
      value: { ...first, exclusiveStart: { SensorId: 's', Timestamp: now - 23 * HOUR } },
    });
  });

  it('are refused for another sensor, out of the range, or tampered with', () => {
    const cursor = encodeCursor({ SensorId: 's', Timestamp: now - HOUR });
    expect(parseReadingsQuery({ sensorId: 't', cursor }, now)).toMatchObject({ ok: false, field: 'cursor' });
    expect(parseReadingsQuery({ sensorId: 's', cursor, to: now - 2 * HOUR }, now)).toMatchObject({
      ok: false,
      field: 'cursor',
    });
    const forged = Buffer.from(JSON.stringify({ v: 1, sensorId: 's', timestamp: 'x' })).toString('base64url');
    expect(parseReadingsQuery({ sensorId: 's', cursor: forged }, now)).toMatchObject({ ok: false, field: 'cursor' });
    const extra = Buffer.from(JSON.stringify({ v: 1, sensorId: 's', timestamp: 1, admin: true })).toString('base64url');
    expect(decodeCursor(extra, 's')).toBeUndefined();
    expect(decodeCursor(`${cursor.slice(0, -2)}`, 's')).toBeUndefined();
  });

  it('refuse to encode something that is not a SensorData key', () => {
    expect(() => encodeCursor({ SensorId: 's' })).toThrow(TypeError);
  });

  it('round-trip any key and range, and never decode for another sensor', () => {
    const sensorIds = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/);
    fc.assert(
      fc.property(
        sensorIds,
        sensorIds,
        fc.integer({ min: 0, max: 4e12 }),
        fc.option(fc.record({ fromMs: fc.integer(), toMs: fc.integer() }), { nil: undefined }),
        (sensorId, other, timestamp, range) => {
          const cursor = encodeCursor({ SensorId: sensorId, Timestamp: timestamp }, range);
          expect(decodeCursor(cursor, sensorId)).toEqual({
            key: { SensorId: sensorId, Timestamp: timestamp },
            ...range,
          });
          if (other !== sensorId) expect(decodeCursor(cursor, other)).toBeUndefined();
        },
      ),
    );
  });
});
