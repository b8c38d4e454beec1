import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertMessage, alertsFor, claims, windowStart, type SensorAlert } from '../../../src/domain/iot/alerts.ts';
import type { SensorReading } from '../../../src/domain/iot/reading.ts';

const rule = { humidityBelow: 35, windowMs: 15 * 60_000 };
const at = (iso: string) => Date.parse(iso);
const reading = (sensorId: string, timestamp: string, humidity?: number): SensorReading => ({
  sensorId,
  timestampMs: at(timestamp),
  timestamp: new Date(timestamp).toISOString(),
  ...(humidity === undefined ? { temperature: 20 } : { humidity }),
});

describe('alertsFor', () => {
  it('raises one candidate per sensor: its earliest reading strictly below the threshold', () => {
    expect(
      alertsFor(
        [
          reading('a', '2026-03-04T10:05:00Z', 30),
          reading('b', '2026-03-04T10:00:00Z', 35), // not below
          reading('a', '2026-03-04T10:01:00Z', 34.9), // earlier than the first: this one
          reading('b', '2026-03-04T10:02:00Z'), // no humidity
          reading('c', '2026-03-04T10:20:00Z', 10),
          reading('a', '2026-03-04T10:40:00Z', 5), // a later window, same batch: not a second candidate
        ],
        rule,
      ),
    ).toEqual([
      {
        sensorId: 'a',
        timestampMs: at('2026-03-04T10:01:00Z'),
        humidity: 34.9,
        threshold: 35,
        windowStartMs: at('2026-03-04T10:00:00Z'),
      },
      {
        sensorId: 'c',
        timestampMs: at('2026-03-04T10:20:00Z'),
        humidity: 10,
        threshold: 35,
        windowStartMs: at('2026-03-04T10:15:00Z'),
      },
    ]);
  });

  it('raises nothing when every reading is at or above the threshold', () => {
    expect(
      alertsFor([reading('a', '2026-03-04T10:05:00Z', 35), reading('a', '2026-03-04T10:06:00Z', 80)], rule),
    ).toEqual([]);
  });

  it('refuses a window that is not positive', () => {
    expect(() => alertsFor([], { humidityBelow: 35, windowMs: 0 })).toThrow(RangeError);
  });

  it('aligns windows to the epoch', () => {
    expect(windowStart(at('2026-03-04T10:14:59.999Z'), rule.windowMs)).toBe(at('2026-03-04T10:00:00Z'));
    expect(windowStart(at('2026-03-04T10:15:00Z'), rule.windowMs)).toBe(at('2026-03-04T10:15:00Z'));
  });

  const stream = fc
    .array(
      fc.record({
        sensor: fc.constantFrom('a', 'b', 'c'),
        minute: fc.integer({ min: 0, max: 120 }),
        humidity: fc.integer({ min: 20, max: 50 }),
      }),
      { maxLength: 80 },
    )
    .map((entries) =>
      entries.map(({ sensor, minute, humidity }) =>
        reading(sensor, new Date(Date.UTC(2026, 2, 4, 10, minute)).toISOString(), humidity),
      ),
    );
  const cuts = fc.array(fc.nat(), { maxLength: 10 });

  /** Delivers the readings in batches (cut anywhere, each batch delivered up to `deliveries` times) against the conditional-write state. */
  function deliver(readings: SensorReading[], at: number[], deliveries: number): SensorAlert[] {
    const bounds = [...new Set([0, ...at.map((n) => n % (readings.length + 1)), readings.length])].sort(
      (x, y) => x - y,
    );
    const last = new Map<string, number>();
    const sent: SensorAlert[] = [];
    for (let i = 0; i + 1 < bounds.length; i += 1) {
      for (let delivery = 0; delivery < deliveries; delivery += 1) {
        for (const alert of alertsFor(readings.slice(bounds[i], bounds[i + 1]), rule)) {
          if (!claims(last.get(alert.sensorId), alert)) continue;
          last.set(alert.sensorId, alert.windowStartMs);
          sent.push(alert);
        }
      }
    }
    return sent;
  }

  it('sends at most one alert per sensor per window, for any split into batches and any number of redeliveries', () => {
    fc.assert(
      fc.property(stream, cuts, fc.integer({ min: 1, max: 3 }), (readings, at, deliveries) => {
        const sent = deliver(readings, at, deliveries);
        const windows = sent.map((alert) => `${alert.sensorId} ${alert.windowStartMs}`);
        expect(new Set(windows).size).toBe(windows.length);
        for (const alert of sent) expect(alert.humidity).toBeLessThan(rule.humidityBelow);
      }),
    );
  });

  it('alerts every sensor that went below the threshold at least once, however the readings are split', () => {
    fc.assert(
      fc.property(stream, cuts, (readings, at) => {
        const low = new Set(readings.filter((r) => r.humidity! < rule.humidityBelow).map((r) => r.sensorId));
        expect(new Set(deliver(readings, at, 1).map((alert) => alert.sensorId))).toEqual(low);
      }),
    );
  });
});

describe('alertMessage', () => {
  const alert: SensorAlert = {
    sensorId: 'greenhouse-1',
    timestampMs: at('2026-03-04T10:01:00Z'),
    humidity: 30.5,
    threshold: 35,
    windowStartMs: at('2026-03-04T10:00:00Z'),
  };

  it('has a readable subject and a JSON body', () => {
    const message = alertMessage(alert);
    expect(message.subject).toBe('Low humidity: greenhouse-1 at 30.5% (below 35%)');
    expect(JSON.parse(message.body)).toEqual({
      type: 'humidity-below-threshold',
      sensorId: 'greenhouse-1',
      timestamp: '2026-03-04T10:01:00.000Z',
      humidity: 30.5,
      threshold: 35,
      windowStart: '2026-03-04T10:00:00.000Z',
    });
  });

  it('keeps the subject within the SNS limit of 100 characters for the longest sensor id', () => {
    const subject = alertMessage({ ...alert, sensorId: 'x'.repeat(128) }).subject;
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^Low humidity: x+\.\.\.$/);
  });
});
