import type { SensorReading } from './reading.ts';

export interface AlertRule {
  /** A reading with humidity strictly below this raises an alert. */
  humidityBelow: number;
  /** At most one alert per sensor per window of this length (windows aligned to the epoch). */
  windowMs: number;
}

export interface SensorAlert {
  sensorId: string;
  timestampMs: number;
  humidity: number;
  threshold: number;
  /** The id of the reading's window: the conditional write claims it, so retries cannot alert twice. */
  windowStartMs: number;
}

/** The start of the window a time falls in. */
export function windowStart(timeMs: number, windowMs: number): number {
  return Math.floor(timeMs / windowMs) * windowMs;
}

/**
 * The candidate alerts of a batch: per sensor, its earliest reading below the threshold (ties: the
 * first in stream order), in the order sensors first appear. One per sensor per batch, so the claims
 * of one sensor never race each other; whether a candidate is sent is the conditional write's call.
 */
export function alertsFor(readings: readonly SensorReading[], rule: AlertRule): SensorAlert[] {
  if (!(rule.windowMs > 0)) throw new RangeError(`alert window must be positive, got ${rule.windowMs}`);
  const earliest = new Map<string, SensorReading & { humidity: number }>();
  for (const reading of readings) {
    if (reading.humidity === undefined || !(reading.humidity < rule.humidityBelow)) continue;
    const current = earliest.get(reading.sensorId);
    if (!current || reading.timestampMs < current.timestampMs)
      earliest.set(reading.sensorId, { ...reading, humidity: reading.humidity });
  }
  return [...earliest.values()].map((reading) => ({
    sensorId: reading.sensorId,
    timestampMs: reading.timestampMs,
    humidity: reading.humidity,
    threshold: rule.humidityBelow,
    windowStartMs: windowStart(reading.timestampMs, rule.windowMs),
  }));
}

/**
 * The rule the alert-state table applies (`attribute_not_exists(LastWindowStart) OR LastWindowStart < :w`),
 * as a pure function for tests and reasoning: a claim succeeds only for a later window than the last.
 */
export function claims(lastWindowStart: number | undefined, alert: SensorAlert): boolean {
  return lastWindowStart === undefined || lastWindowStart < alert.windowStartMs;
}

// SNS subjects: at most 100 printable ASCII characters, no line breaks.
const SUBJECT_LIMIT = 100;

/** The SNS message of an alert: a short subject for e-mail, and a JSON body for programs. */
export function alertMessage(alert: SensorAlert): { subject: string; body: string } {
  const subject = `Low humidity: ${alert.sensorId} at ${alert.humidity}% (below ${alert.threshold}%)`;
  return {
    subject: subject.length > SUBJECT_LIMIT ? `${subject.slice(0, SUBJECT_LIMIT - 3)}...` : subject,
    body: JSON.stringify({
      type: 'humidity-below-threshold',
      sensorId: alert.sensorId,
      timestamp: new Date(alert.timestampMs).toISOString(),
      humidity: alert.humidity,
      threshold: alert.threshold,
      windowStart: new Date(alert.windowStartMs).toISOString(),
    }),
  };
}
