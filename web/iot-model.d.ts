// Types of iot-model.js for the unit tests (the browser loads iot-model.js itself; there is no build step).
export interface SampleValues {
  humidity?: number;
  temperature?: number;
}
export interface Reading {
  sensorId: string;
  timestamp: string;
  humidity?: number;
  temperature?: number;
  seq?: number;
}
export type ChartReading = Reading & { x: number };

export const RANGES: ReadonlyMap<string, { label: string; ms: number }>;
export const TYPICAL: { humidity: number; temperature: number };
export function parseDeviceIds(text: string): string[];
export function randomWalkStep(current: SampleValues, random: () => number): { humidity: number; temperature: number };
export function readingsBody(
  deviceIds: readonly string[],
  values: SampleValues,
  timestamp: string,
): { readings: Reading[] };
export function numberField(text: string): number | undefined;
export function rangeWindow(key: string, nowMs: number): { fromMs: number; toMs: number };
export function readingsUrl(
  apiUrl: string,
  sensorId: string,
  query: { fromMs: number; toMs: number; limit: number; cursor?: string },
): string;
export function mergeReadings(pages: ReadonlyArray<readonly Reading[]>): ChartReading[];
export function readingsSummary(sensorId: string, readings: readonly Reading[], rangeLabel: string): string;
