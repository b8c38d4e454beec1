import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KNOWN_COLOURS,
  PALETTE,
  candidateColours,
  doughnutSegments,
  percentages,
  pointAt,
  ringSegmentPath,
} from '../../../web/chart.js';

const RING = { cx: 100, cy: 100, outer: 90, inner: 60 };

/** WCAG contrast ratio of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

describe('candidate colours', () => {
  it('gives RED, GREEN and BLUE their own colours and others the palette in order', () => {
    const colours = candidateColours(['BLUE', 'YES', 'RED', 'NO', 'GREEN']);
    expect(Object.fromEntries(colours)).toEqual({
      BLUE: KNOWN_COLOURS.get('BLUE'),
      RED: KNOWN_COLOURS.get('RED'),
      GREEN: KNOWN_COLOURS.get('GREEN'),
      YES: PALETTE[0],
      NO: PALETTE[1],
    });
  });

  it('cycles the palette when there are more candidates than colours', () => {
    const names = Array.from({ length: PALETTE.length + 1 }, (_, i) => `C${i}`);
    expect(candidateColours(names).get(`C${PALETTE.length}`)).toBe(PALETTE[0]);
  });

  it('uses colours that white button text stays readable on (WCAG AA, 4.5:1)', () => {
    for (const colour of [...KNOWN_COLOURS.values(), ...PALETTE])
      expect(contrastOnWhite(colour)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('percentages', () => {
  it('rounds so the shares add up to 100', () => {
    expect(percentages([1, 1, 1])).toEqual([34, 33, 33]);
    expect(percentages([3, 2, 3])).toEqual([38, 25, 37]);
    expect(percentages([0, 5, 0])).toEqual([0, 100, 0]);
  });

  it('is all zeros when nobody has voted', () => {
    expect(percentages([0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('always sums to 100 and stays within one point of the exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(10_000), { minLength: 1, maxLength: 12 }).filter((a) => a.some((n) => n > 0)),
        (counts) => {
          const shares = percentages(counts);
          const total = counts.reduce((s, n) => s + n, 0);
          expect(shares.reduce((s, n) => s + n, 0)).toBe(100);
          shares.forEach((share, i) => expect(Math.abs(share - (counts[i]! * 100) / total)).toBeLessThan(1));
        },
      ),
    );
  });
});

describe('doughnut segments', () => {
  it('skips candidates without votes and splits the turn in proportion', () => {
    expect(
      doughnutSegments([
        { candidate: 'RED', votes: 1 },
        { candidate: 'GREEN', votes: 0 },
        { candidate: 'BLUE', votes: 3 },
      ]),
    ).toEqual([
      { candidate: 'RED', votes: 1, start: 0, end: 0.25 },
      { candidate: 'BLUE', votes: 3, start: 0.25, end: 1 },
    ]);
  });

  it('draws nothing when nobody has voted', () => {
    expect(doughnutSegments([{ candidate: 'RED', votes: 0 }])).toEqual([]);
  });

  it('tiles the whole ring without gaps or overlaps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 10 }).filter((a) => a.some((n) => n > 0)),
        (votes) => {
          const segments = doughnutSegments(votes.map((v, i) => ({ candidate: `C${i}`, votes: v })));
          expect(segments[0]!.start).toBe(0);
          expect(segments.at(-1)!.end).toBeCloseTo(1, 9);
          segments.slice(1).forEach((s, i) => expect(s.start).toBe(segments[i]!.end));
          segments.forEach((s) => expect(s.end).toBeGreaterThan(s.start));
        },
      ),
    );
  });
});

describe('ring geometry', () => {
  it("measures fractions clockwise from 12 o'clock", () => {
    expect(pointAt(100, 100, 90, 0)).toEqual([100, 10]);
    expect(pointAt(100, 100, 90, 0.25)).toEqual([190, 100]);
    expect(pointAt(100, 100, 90, 0.5)).toEqual([100, 190]);
  });

  it('draws a quarter as outer arc, edge, inner arc back', () => {
    expect(ringSegmentPath(RING, 0, 0.25)).toBe('M 100 10 A 90 90 0 0 1 190 100 L 160 100 A 60 60 0 0 0 100 40 Z');
  });

  it('sets the large-arc flag for segments over half a turn', () => {
    expect(ringSegmentPath(RING, 0, 0.75)).toMatch(/^M 100 10 A 90 90 0 1 1 10 100 /);
  });

  it('draws a full turn as two closed circles, since one arc cannot end where it starts', () => {
    const path = ringSegmentPath(RING, 0, 1);
    expect(path.match(/M /g)).toHaveLength(2);
    expect(path).toContain('M 100 10 A 90 90 0 1 1 100 190 A 90 90 0 1 1 100 10 Z');
    expect(path).toContain('M 100 40 A 60 60 0 1 0 100 160 A 60 60 0 1 0 100 40 Z');
  });
});
