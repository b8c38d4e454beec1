import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TIME_STEPS,
  layoutLineChart,
  linePath,
  linearScale,
  niceDomain,
  niceStep,
  ticks,
  timeTicks,
} from '../../../web/line-chart.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

describe('scales and ticks', () => {
  it('maps a domain linearly onto a (possibly inverted) range', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect([y(0), y(50), y(100)]).toEqual([200, 100, 0]);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it('picks steps of 1, 2 or 5 times a power of ten', () => {
    expect([niceStep(100, 5), niceStep(7, 5), niceStep(0.3, 5), niceStep(1000, 4)]).toEqual([20, 2, 0.1, 500]);
  });

  it('widens a y domain to whole steps, keeps a fixed one, and centres a flat line', () => {
    expect(niceDomain([21.3, 23.8])).toEqual([21, 24]);
    expect(niceDomain([40, 60], { fixed: [0, 100] })).toEqual([0, 100]);
    expect(niceDomain([20, 20], { minSpan: 4 })).toEqual([18, 22]);
    expect(niceDomain([undefined, Number.NaN])).toEqual([0, 1]);
  });

  it('covers every value, whatever the values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -80, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const [lo, hi] = niceDomain(values, { minSpan: 1 });
          expect(lo).toBeLessThanOrEqual(Math.min(...values));
          expect(hi).toBeGreaterThanOrEqual(Math.max(...values));
        },
      ),
    );
  });

  it('puts ticks on whole steps inside the domain', () => {
    expect(ticks([0, 100])).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks([18, 22])).toEqual([18, 19, 20, 21, 22]);
  });

  it('puts time ticks on readable steps: every 10 minutes over an hour, every 6 hours over a day', () => {
    expect(timeTicks([T0 - HOUR, T0])).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => T0 - HOUR + i * 600_000));
    const day = timeTicks([T0 - 24 * HOUR, T0]);
    expect(day.every((t) => t % (6 * HOUR) === 0)).toBe(true);
    expect(day).toHaveLength(4);
    expect(timeTicks([T0, T0])).toEqual([]);
  });

  it('never gives more time ticks than asked for, all inside the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 30 * 24 * HOUR }), fc.integer({ min: 2, max: 10 }), (span, count) => {
        const values = timeTicks([T0 - span, T0], count);
        expect(values.length).toBeLessThanOrEqual(count);
        for (const t of values) expect(t >= T0 - span && t <= T0).toBe(true);
      }),
    );
    expect(TIME_STEPS).toEqual([...TIME_STEPS].sort((a, b) => a - b));
  });
});

describe('linePath', () => {
  it('draws one line through the points and starts a new one after a gap', () => {
    expect(linePath([[0, 10], [5, 20], null, [10, 5], [15, 6.666]])).toBe('M 0 10 L 5 20 M 10 5 L 15 6.67');
    expect(linePath([])).toBe('');
    expect(linePath([null, [1, 2]])).toBe('M 1 2');
  });
});

describe('layoutLineChart', () => {
  const spec = {
    width: 640,
    height: 280,
    margin: { top: 20, right: 40, bottom: 30, left: 40 },
    xDomain: [T0 - HOUR, T0] as [number, number],
    series: [
      { key: 'humidity', domain: [0, 100] as [number, number] },
      { key: 'temperature', minSpan: 4 },
    ],
  };

  it('places readings on time (x) and value (y), oldest to newest whatever the input order', () => {
    const data = [
      { x: T0, humidity: 100, temperature: 22 },
      { x: T0 - HOUR, humidity: 0, temperature: 20 },
    ];
    const {
      plot,
      series: [humidity, temperature],
    } = layoutLineChart({ ...spec, data });
    expect(plot).toEqual({ left: 40, top: 20, right: 600, bottom: 250 });
    expect(humidity!.path).toBe('M 40 250 L 600 20');
    expect(humidity!.points.map((p) => p.value)).toEqual([0, 100]);
    expect(temperature!.domain).toEqual([19, 23]);
    expect(temperature!.yTicks.map((t) => t.value)).toEqual([19, 20, 21, 22, 23]);
  });

  it('leaves a gap where a reading lacks a series, and drops readings outside the time range', () => {
    const data = [
      { x: T0 - HOUR - 1, humidity: 50 },
      { x: T0 - 3 * 600_000, humidity: 50, temperature: 21 },
      { x: T0 - 2 * 600_000, temperature: 21 },
      { x: T0 - 600_000, humidity: 50, temperature: 21 },
    ];
    const {
      series: [humidity, temperature],
    } = layoutLineChart({ ...spec, data });
    expect(humidity!.points).toHaveLength(2);
    expect(humidity!.path.match(/M/g)).toHaveLength(2);
    expect(temperature!.path.match(/M/g)).toHaveLength(1);
    expect(temperature!.points).toHaveLength(3);
  });

  it('draws an empty chart with axes when there are no readings', () => {
    const layout = layoutLineChart({ ...spec, data: [] });
    expect(layout.series.map((s) => s.path)).toEqual(['', '']);
    expect(layout.xTicks).toHaveLength(7);
    expect(layout.xTicks[0]).toEqual({ value: T0 - HOUR, position: 40 });
  });
});
