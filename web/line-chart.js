// Pure geometry of a time-series line chart with up to two y axes (left, right): scales, "nice" ticks
// and SVG path data. No DOM access here, so the unit tests in test/unit/web import this module directly.

const round = (n) => Math.round(n * 100) / 100;

/** A function mapping `domain` linearly onto `range`; an empty domain maps everything to the range's middle. */
export function linearScale([d0, d1], [r0, r1]) {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const factor = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * factor;
}

/** The step of 1, 2 or 5 times a power of ten that cuts `span` into about `count` parts. */
export function niceStep(span, count) {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((m) => m * power >= raw) ?? 10;
  return multiple * power;
}

/**
 * A y domain covering `values`, widened to whole steps and to at least `minSpan` (so a flat line sits in
 * the middle, not on an edge); `fixed` wins when given. [0, 1] when there is nothing to show.
 */
export function niceDomain(values, { fixed, minSpan = 1, count = 5 } = {}) {
  if (fixed) return [fixed[0], fixed[1]];
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < minSpan) {
    const middle = (lo + hi) / 2;
    [lo, hi] = [middle - minSpan / 2, middle + minSpan / 2];
  }
  const step = niceStep(hi - lo, count);
  const [niceLo, niceHi] = [round(Math.floor(lo / step) * step), round(Math.ceil(hi / step) * step)];
  // Rounding can land a hair inside the data; one more step keeps every value on the chart.
  return [niceLo > lo ? round(niceLo - step) : niceLo, niceHi < hi ? round(niceHi + step) : niceHi];
}

/** Tick values at whole multiples of a nice step inside [lo, hi]. */
export function ticks([lo, hi], count = 5) {
  const step = niceStep(hi - lo, count);
  const values = [];
  for (let value = Math.ceil(lo / step) * step; value <= hi + step * 1e-9; value += step) values.push(round(value));
  return values;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Time steps people read easily on an axis. */
export const TIME_STEPS = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];

/** Times in [from, to] at the smallest readable step that gives at most `count` ticks (aligned to UTC). */
export function timeTicks([from, to], count = 6) {
  if (!(to > from)) return [];
  const step = TIME_STEPS.find((s) => (to - from) / s <= count) ?? Math.ceil((to - from) / count / HOUR) * HOUR;
  const values = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) values.push(t);
  return values;
}

/**
 * SVG path data through `points` ([x, y] pairs) in order; a `null` entry ends the current line, so a gap
 * in the data shows as a gap instead of a straight line across it.
 */
export function linePath(points) {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (!point) {
      drawing = false;
      continue;
    }
    path += `${path ? ' ' : ''}${drawing ? 'L' : 'M'} ${round(point[0])} ${round(point[1])}`;
    drawing = true;
  }
  return path;
}

/**
 * Everything needed to draw the chart: the plot area, x ticks, and per series its y domain, y ticks,
 * path data and point positions. `data` is a list of rows with an `x` (ms) and one field per series key;
 * rows may come in any order. A row without a series' value leaves a gap in that series' line.
 * @param {{ width: number, height: number, margin: {top: number, right: number, bottom: number, left: number},
 *   xDomain: [number, number], data: Array<Record<string, number | undefined> & { x: number }>,
 *   series: Array<{ key: string, domain?: [number, number], minSpan?: number }> }} spec
 */
export function layoutLineChart({ width, height, margin, xDomain, data, series }) {
  const plot = { left: margin.left, top: margin.top, right: width - margin.right, bottom: height - margin.bottom };
  const x = linearScale(xDomain, [plot.left, plot.right]);
  const rows = data
    .filter((row) => Number.isFinite(row.x) && row.x >= xDomain[0] && row.x <= xDomain[1])
    .sort((a, b) => a.x - b.x);
  return {
    plot,
    xTicks: timeTicks(xDomain).map((value) => ({ value, position: round(x(value)) })),
    series: series.map(({ key, domain, minSpan }) => {
      const yDomain = niceDomain(
        rows.map((row) => row[key]),
        { fixed: domain, minSpan },
      );
      const y = linearScale(yDomain, [plot.bottom, plot.top]);
      const positioned = rows.map((row) => (Number.isFinite(row[key]) ? [x(row.x), y(row[key])] : null));
      return {
        key,
        domain: yDomain,
        yTicks: ticks(yDomain).map((value) => ({ value, position: round(y(value)) })),
        path: linePath(positioned),
        points: rows.flatMap((row, i) =>
          positioned[i]
            ? [{ x: row.x, value: row[key], cx: round(positioned[i][0]), cy: round(positioned[i][1]) }]
            : [],
        ),
      };
    }),
  };
}
