import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchSummary } from '../../../src/domain/iot/metrics.ts';
import type { SensorReading } from '../../../src/domain/iot/reading.ts';

const reading = (measurements: { humidity?: number; temperature?: number }): SensorReading => ({
  sensorId: 's',
  timestampMs: 0,
  timestamp: '1970-01-01T00:00:00.000Z',
  ...measurements,
});

describe('batchSummary', () => {
  it('counts the readings and gives min/avg/max of each measurement over the readings that have it', () => {
    expect(
      batchSummary([
        reading({ humidity: 40, temperature: 20 }),
        reading({ humidity: 30 }),
        reading({ humidity: 50, temperature: 23 }),
      ]),
    ).toEqual({
      count: 3,
      humidity: { min: 30, avg: 40, max: 50 },
      temperature: { min: 20, avg: 21.5, max: 23 },
    });
  });

  it('leaves out a measurement no reading has', () => {
    expect(batchSummary([reading({ temperature: -5 })])).toEqual({
      count: 1,
      temperature: { min: -5, avg: -5, max: -5 },
    });
    expect(batchSummary([])).toEqual({ count: 0 });
  });

  it('keeps min <= avg <= max for any batch', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1 }), (values) => {
        const { humidity } = batchSummary(values.map((humidity) => reading({ humidity })));
        expect(humidity!.min).toBe(Math.min(...values));
        expect(humidity!.max).toBe(Math.max(...values));
        expect(humidity!.avg).toBeGreaterThanOrEqual(humidity!.min);
        expect(humidity!.avg).toBeLessThanOrEqual(humidity!.max);
      }),
    );
  });
});
