// Types of line-chart.js for the unit tests (the browser loads line-chart.js itself; there is no build step).
export type Point = readonly [number, number];
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}
export interface SeriesSpec {
  key: string;
  domain?: readonly [number, number];
  minSpan?: number;
}
export interface Tick {
  value: number;
  position: number;
}
export interface SeriesLayout {
  key: string;
  domain: [number, number];
  yTicks: Tick[];
  path: string;
  points: Array<{ x: number; value: number; cx: number; cy: number }>;
}
export interface ChartLayout {
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: Tick[];
  series: SeriesLayout[];
}

export const TIME_STEPS: readonly number[];
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number;
export function niceStep(span: number, count: number): number;
export function niceDomain(
  values: ReadonlyArray<number | undefined>,
  options?: { fixed?: readonly [number, number]; minSpan?: number; count?: number },
): [number, number];
export function ticks(domain: readonly [number, number], count?: number): number[];
export function timeTicks(domain: readonly [number, number], count?: number): number[];
export function linePath(points: ReadonlyArray<Point | null>): string;
export function layoutLineChart(spec: {
  width: number;
  height: number;
  margin: Margin;
  xDomain: readonly [number, number];
  data: ReadonlyArray<{ x: number; [key: string]: number | undefined }>;
  series: readonly SeriesSpec[];
}): ChartLayout;
