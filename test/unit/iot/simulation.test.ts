import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReading, readingJson } from '../../../src/domain/iot/reading.ts';
import {
  initialState,
  nextReadings,
  schedule,
  simulatorOptions,
  tickTimeMs,
  ticksDue,
  type Random,
  type SimulationState,
} from '../../../src/domain/iot/simulation.ts';

/** A small seeded generator (mulberry32), so runs are repeatable. */
function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(devices: number, ticks: number, seed: number) {
  const random = seeded(seed);
  let state: SimulationState = initialState({ devices, prefix: 'sim-' }, random);
  const readings = [];
  for (let tick = 0; tick < ticks; tick += 1) {
    const next = nextReadings(state, Date.UTC(2026, 2, 4) + tick * 1000, random);
    readings.push(...next.readings);
    state = next.state;
  }
  return readings;
}

describe('simulation', () => {
  it('gives each device one reading per tick, with its own seq from 0 and the tick time', () => {
    const readings = run(3, 4, 1);
    expect(readings.map((r) => `${r.sensorId}#${r.seq}`)).toEqual(
      [0, 1, 2, 3].flatMap((seq) => [1, 2, 3].map((n) => `sim-device-${n}#${seq}`)),
    );
    expect(readings[3]).toMatchObject({
      timestamp: '2026-03-04T00:00:01.000Z',
      timestampMs: Date.UTC(2026, 2, 4, 0, 0, 1),
    });
  });

  it('produces only valid readings, and is repeatable with the same random source', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const readings = run(2, 200, seed);
        for (const reading of readings) {
          expect(parseReading(readingJson(reading), Date.UTC(2026, 2, 5))).toEqual({ ok: true, value: reading });
        }
        expect(run(2, 200, seed)).toEqual(readings);
      }),
      { numRuns: 20 },
    );
  });

  it('walks (small steps) and sometimes dips below 35 % humidity', () => {
    const readings = run(20, 300, 7);
    expect(readings.some((r) => r.humidity! < 35)).toBe(true);
    const device1 = readings.filter((r) => r.sensorId === 'sim-device-1');
    for (let i = 1; i < device1.length; i += 1) {
      expect(Math.abs(device1[i]!.humidity! - device1[i - 1]!.humidity!)).toBeLessThan(6);
      expect(Math.abs(device1[i]!.temperature! - device1[i - 1]!.temperature!)).toBeLessThan(1);
    }
  });
});

describe('schedule', () => {
  it('makes rate x duration ticks, due from the start, with distinct millisecond times', () => {
    const plan = schedule(3, 10);
    expect(plan.totalTicks).toBe(30);
    expect(ticksDue(plan, 0)).toBe(1);
    expect(ticksDue(plan, 333)).toBe(1);
    expect(ticksDue(plan, 334)).toBe(2);
    expect(ticksDue(plan, 60_000)).toBe(30);
    expect([0, 1, 2, 3].map((tick) => tickTimeMs(plan, 1000, tick))).toEqual([1000, 1333, 1666, 2000]);
  });

  it('has at least one tick, and distinct times up to 1000 readings/s', () => {
    expect(schedule(0.1, 1).totalTicks).toBe(1);
    const plan = schedule(1000, 2);
    const times = Array.from({ length: plan.totalTicks }, (_, tick) => tickTimeMs(plan, 0, tick));
    expect(new Set(times).size).toBe(plan.totalTicks);
  });
});

describe('simulatorOptions', () => {
  it('has defaults', () => {
    expect(simulatorOptions({})).toEqual({ ok: true, value: { devices: 5, rate: 1, durationS: 10, prefix: 'sim-' } });
    expect(simulatorOptions({ devices: '20', rate: '0.5', duration: '30', prefix: 'e2e-1-' })).toEqual({
      ok: true,
      value: { devices: 20, rate: 0.5, durationS: 30, prefix: 'e2e-1-' },
    });
  });

  it.each([
    [{ devices: '0' }, /--devices/],
    [{ devices: 'x' }, /--devices/],
    [{ rate: '0' }, /--rate/],
    [{ rate: '1001' }, /--rate/],
    [{ duration: '-1' }, /--duration/],
    [{ prefix: 'a b' }, /--prefix/],
  ])('refuses %j', (values, reason) => {
    expect(simulatorOptions(values)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});
