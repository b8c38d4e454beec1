// Pure helpers for the results page: candidate colours, vote shares and doughnut geometry.
// No DOM access here, so the unit tests in test/unit/web import this module directly.

/** Fixed colours for the default candidates; every colour here carries white text at >= 4.5:1 (WCAG AA). */
export const KNOWN_COLOURS = new Map([
  ['RED', '#c5221f'],
  ['GREEN', '#137333'],
  ['BLUE', '#1a5fd0'],
]);

/** Colours for other candidates, in order of appearance; distinguishable from the fixed ones. */
export const PALETTE = ['#a35600', '#7b1fa2', '#00757f', '#ad1457', '#5d4037', '#3949ab', '#7a6a00', '#546e7a'];

/** One colour per candidate: the fixed one for RED/GREEN/BLUE, else the next palette entry. */
export function candidateColours(names) {
  const colours = new Map();
  let next = 0;
  for (const name of names) {
    colours.set(name, KNOWN_COLOURS.get(name.toUpperCase()) ?? PALETTE[next++ % PALETTE.length]);
  }
  return colours;
}

/**
 * Whole-number percentages that add up to exactly 100 (largest remainder), so "33 + 33 + 33" never shows.
 * All zeros when nobody has voted.
 */
export function percentages(counts) {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((n) => (n * 100) / total);
  const result = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let missing = 100 - result.reduce((sum, n) => sum + n, 0);
  for (const [, i] of byRemainder) {
    if (missing-- <= 0) break;
    result[i] += 1;
  }
  return result;
}

/** Where each candidate's segment starts and ends, as fractions of a full turn; no segment for zero votes. */
export function doughnutSegments(candidates) {
  const total = candidates.reduce((sum, c) => sum + c.votes, 0);
  const segments = [];
  let start = 0;
  for (const { candidate, votes } of candidates) {
    if (votes <= 0 || total === 0) continue;
    const end = start + votes / total;
    segments.push({ candidate, votes, start, end: Math.min(end, 1) });
    start = end;
  }
  return segments;
}

const round = (n) => Math.round(n * 1000) / 1000;

/** The point at `fraction` of a turn on a circle, clockwise from 12 o'clock (SVG y points down). */
export function pointAt(cx, cy, radius, fraction) {
  const angle = 2 * Math.PI * fraction - Math.PI / 2;
  return [round(cx + radius * Math.cos(angle)), round(cy + radius * Math.sin(angle))];
}

/**
 * SVG path data of a ring segment between two fractions of a turn. A full turn cannot be one arc
 * (its end point equals its start), so it is drawn as two concentric circles of opposite winding.
 */
export function ringSegmentPath({ cx, cy, outer, inner }, start, end) {
  if (end - start >= 1 - 1e-9) {
    return `${circlePath(cx, cy, outer, 1)} ${circlePath(cx, cy, inner, 0)}`;
  }
  const large = end - start > 0.5 ? 1 : 0;
  const [x0, y0] = pointAt(cx, cy, outer, start);
  const [x1, y1] = pointAt(cx, cy, outer, end);
  const [x2, y2] = pointAt(cx, cy, inner, end);
  const [x3, y3] = pointAt(cx, cy, inner, start);
  return `M ${x0} ${y0} A ${outer} ${outer} 0 ${large} 1 ${x1} ${y1} L ${x2} ${y2} A ${inner} ${inner} 0 ${large} 0 ${x3} ${y3} Z`;
}

function circlePath(cx, cy, radius, sweep) {
  const top = round(cy - radius);
  const bottom = round(cy + radius);
  return `M ${cx} ${top} A ${radius} ${radius} 0 1 ${sweep} ${cx} ${bottom} A ${radius} ${radius} 0 1 ${sweep} ${cx} ${top} Z`;
}
