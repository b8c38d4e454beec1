import type { SensorReading } from './reading.ts';

export interface Stats {
  min: number;
  avg: number;
  max: number;
}

export interface BatchSummary {
  count: number;
  /** Absent when no reading of the batch has humidity. */
  humidity?: Stats;
  temperature?: Stats;
}

/** Count and min/avg/max of a batch, per measurement (no per-device figures: metrics stay cheap). */
export function batchSummary(readings: readonly SensorReading[]): BatchSummary {
  const humidity = statsOf(readings.flatMap((reading) => (reading.humidity === undefined ? [] : [reading.humidity])));
  const temperature = statsOf(
    readings.flatMap((reading) => (reading.temperature === undefined ? [] : [reading.temperature])),
  );
  return { count: readings.length, ...(humidity ? { humidity } : {}), ...(temperature ? { temperature } : {}) };
}

function statsOf(values: readonly number[]): Stats | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  // Clamped: floating-point rounding of the sum must not put the mean outside [min, max].
  return { min, avg: Math.min(max, Math.max(min, sum / values.length)), max };
}
