import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALERT_LIST_VALUE,
  alertRow,
  decodeAlertsCursor,
  DEFAULT_ALERTS_LIMIT,
  encodeAlertsCursor,
  MAX_ALERTS_LIMIT,
  parseAlertsQuery,
} from '../../../src/domain/iot/alert-list.ts';

const key = { AlertList: ALERT_LIST_VALUE, RaisedAt: '2026-03-04T05:06:07.890Z', SensorId: 'greenhouse-1' };
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('parseAlertsQuery', () => {
  it('defaults to 20 per page and takes 1 to 100', () => {
    expect(DEFAULT_ALERTS_LIMIT).toBe(20);
    expect(MAX_ALERTS_LIMIT).toBe(100);
    expect(parseAlertsQuery({})).toEqual({ ok: true, value: { limit: 20 } });
    expect(parseAlertsQuery({ limit: '1' })).toEqual({ ok: true, value: { limit: 1 } });
    expect(parseAlertsQuery({ limit: '100' })).toEqual({ ok: true, value: { limit: 100 } });
  });

  it.each(['0', '101', '-1', '1.5', 'ten', '', ' 5', '1e2', '0x10', '1000'])(
    'refuses limit=%j, naming the field',
    (limit) => {
      expect(parseAlertsQuery({ limit })).toEqual({
        ok: false,
        field: 'limit',
        reason: 'limit must be an integer from 1 to 100 (default 20)',
      });
    },
  );

  it('continues after the key a cursor names', () => {
    expect(parseAlertsQuery({ limit: '5', cursor: encodeAlertsCursor(key) })).toEqual({
      ok: true,
      value: { limit: 5, exclusiveStart: key },
    });
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['empty', ''],
    ['not JSON', Buffer.from('{"AlertList":', 'utf8').toString('base64url')],
    ['another partition', cursorOf({ ...key, AlertList: 'other' })],
    ['a time that is not one', cursorOf({ ...key, RaisedAt: 'yesterday' })],
    ['a sensor id that cannot be one', cursorOf({ ...key, SensorId: 'a/b' })],
    ['a missing field', cursorOf({ AlertList: key.AlertList, RaisedAt: key.RaisedAt })],
    ['an extra field', cursorOf({ ...key, Extra: 1 })],
    ['an array', cursorOf([key])],
    ['overlong', 'A'.repeat(2000)],
  ])('refuses a cursor that is %s', (_label, cursor) => {
    expect(parseAlertsQuery({ cursor })).toMatchObject({ ok: false, field: 'cursor' });
  });
});

describe('alerts cursor', () => {
  it('round-trips every index key', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (sensorId, ms) => {
          const lastKey = { AlertList: ALERT_LIST_VALUE, RaisedAt: new Date(ms).toISOString(), SensorId: sensorId };
          expect(decodeAlertsCursor(encodeAlertsCursor(lastKey))).toEqual(lastKey);
        },
      ),
    );
  });

  it('is base64url of the key as JSON (opaque, not secret)', () => {
    expect(JSON.parse(Buffer.from(encodeAlertsCursor(key), 'base64url').toString('utf8'))).toEqual(key);
  });

  it('refuses to encode a key that is not of the alerts index', () => {
    expect(() => encodeAlertsCursor({ SensorId: 's', Timestamp: 1 })).toThrow(/not a key of the alerts index/);
  });
});

describe('alertRow', () => {
  it('is the alert as the API lists it', () => {
    expect(
      alertRow({
        ...key,
        ReadingTimestamp: '2026-03-04T05:06:00.000Z',
        Humidity: 21.5,
        Threshold: 35,
        LastWindowStart: 1,
      }),
    ).toEqual({
      sensorId: 'greenhouse-1',
      timestamp: '2026-03-04T05:06:00.000Z',
      humidity: 21.5,
      threshold: 35,
      raisedAt: key.RaisedAt,
    });
  });
});
