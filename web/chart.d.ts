// Types of chart.js for the unit tests (the browser loads chart.js itself; there is no build step).
export interface CandidateCount {
  candidate: string;
  votes: number;
}
export interface Segment {
  candidate: string;
  votes: number;
  start: number;
  end: number;
}
export interface Ring {
  cx: number;
  cy: number;
  outer: number;
  inner: number;
}

export const KNOWN_COLOURS: ReadonlyMap<string, string>;
export const PALETTE: readonly string[];
export function candidateColours(names: Iterable<string>): Map<string, string>;
export function percentages(counts: readonly number[]): number[];
export function doughnutSegments(candidates: readonly CandidateCount[]): Segment[];
export function pointAt(cx: number, cy: number, radius: number, fraction: number): [number, number];
export function ringSegmentPath(ring: Ring, start: number, end: number): string;
