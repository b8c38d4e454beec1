import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mergeReadings,
  numberField,
  parseDeviceIds,
  randomWalkStep,
  rangeWindow,
  readingsBody,
  readingsSummary,
  readingsUrl,
} from '../../../web/iot-model.js';

const NOW = Date.UTC(2025, 0, 15, 10, 0, 0);

describe('device ids', () => {
  it('splits on commas, spaces and new lines, keeping the first of duplicates in order', () => {
    expect(parseDeviceIds(' a, b  c\nd;a,, ')).toEqual(['a', 'b', 'c', 'd']);
    expect(parseDeviceIds('   ')).toEqual([]);
  });
});

describe('numberField', () => {
  it('reads a number, nothing for an empty field, NaN for text', () => {
    expect([numberField(' 42.5 '), numberField(''), numberField('-3')]).toEqual([42.5, undefined, -3]);
    expect(numberField('wet')).toBeNaN();
  });
});

describe('randomWalkStep', () => {
  it('starts from typical values when a field is empty', () => {
    expect(randomWalkStep({}, () => 0.5)).toEqual({ humidity: 50, temperature: 21 });
  });

  it('moves a little, stays in plausible bounds and keeps one decimal', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: -20, max: 45, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 2, maxLength: 2 }),
        (humidity, temperature, draws) => {
          let i = 0;
          const next = randomWalkStep({ humidity, temperature }, () => draws[i++]!);
          expect(next.humidity).toBeGreaterThanOrEqual(0);
          expect(next.humidity).toBeLessThanOrEqual(100);
          expect(Math.abs(next.humidity - humidity)).toBeLessThanOrEqual(6.6);
          expect(Math.abs(next.temperature - temperature)).toBeLessThanOrEqual(0.6);
          expect(next.temperature).toBeGreaterThanOrEqual(-20);
          expect(next.temperature).toBeLessThanOrEqual(45);
          expect(Math.round(next.humidity * 10) / 10).toBe(next.humidity);
        },
      ),
    );
  });
});

describe('readingsBody', () => {
  it('sends one reading per device and leaves out a value that is not given', () => {
    const timestamp = new Date(NOW).toISOString();
    expect(readingsBody(['a', 'b'], { humidity: 40, temperature: undefined }, timestamp)).toEqual({
      readings: [
        { sensorId: 'a', timestamp, humidity: 40 },
        { sensorId: 'b', timestamp, humidity: 40 },
      ],
    });
  });
});

describe('readings query', () => {
  it('ends the range now and goes back an hour or a day', () => {
    expect(rangeWindow('hour', NOW)).toEqual({ fromMs: NOW - 3_600_000, toMs: NOW });
    expect(rangeWindow('day', NOW)).toEqual({ fromMs: NOW - 86_400_000, toMs: NOW });
    expect(rangeWindow('5m', NOW)).toEqual({ fromMs: NOW - 300_000, toMs: NOW });
    expect(rangeWindow('nonsense', NOW)).toEqual(rangeWindow('hour', NOW));
  });

  it('encodes the sensor id and every parameter', () => {
    const url = readingsUrl('https://api.example', 'room 1/a', {
      fromMs: NOW - 1000,
      toMs: NOW,
      limit: 500,
      cursor: 'ab+/=',
    });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/sensors/room%201%2Fa/readings');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      from: '2025-01-15T09:59:59.000Z',
      to: '2025-01-15T10:00:00.000Z',
      limit: '500',
      cursor: 'ab+/=',
    });
    expect(
      new URL(readingsUrl('', 'x', { fromMs: NOW, toMs: NOW, limit: 1 }), 'http://h').searchParams.has('cursor'),
    ).toBe(false);
  });
});

describe('mergeReadings', () => {
  const at = (minute: number, humidity = 50) => ({
    sensorId: 's',
    timestamp: new Date(NOW + minute * 60_000).toISOString(),
    humidity,
  });

  it('joins pages newest first, one reading per time, and skips readings without a valid time', () => {
    const merged = mergeReadings([[at(3), at(2)], [at(2, 99), at(1)], [{ sensorId: 's', timestamp: 'never' }]]);
    expect(merged.map((r) => [r.timestamp, r.humidity])).toEqual([
      [at(3).timestamp, 50],
      [at(2).timestamp, 50],
      [at(1).timestamp, 50],
    ]);
    expect(merged[0]!.x).toBe(NOW + 3 * 60_000);
  });
});

describe('readingsSummary', () => {
  it('describes the count and the newest values for the chart text alternative', () => {
    expect(
      readingsSummary(
        's1',
        [
          { sensorId: 's1', timestamp: 't', humidity: 41.2, temperature: 21 },
          { sensorId: 's1', timestamp: 'u', humidity: 40 },
        ],
        'Last hour',
      ),
    ).toBe('s1: 2 readings in the last hour; latest humidity 41.2 %, temperature 21 °C');
    expect(readingsSummary('s1', [], 'Last day')).toBe('No readings of s1 in the last day');
  });
});
