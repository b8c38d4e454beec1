import * as z from 'zod';
import { EARLIEST_MS, shown } from '../parsed.ts';
import type { Result } from '../result.ts';

/** A validated sensor reading (DESIGN.md §3, Sensor reading), its time normalized to UTC. */
export interface SensorReading {
  sensorId: string;
  timestampMs: number;
  /** ISO-8601 in UTC with milliseconds, e.g. 2026-03-04T05:06:07.000Z. */
  timestamp: string;
  humidity?: number;
  temperature?: number;
  seq?: number;
}

/** The JSON a device sends and the archive stores: the reading without the derived timestampMs. */
export interface ReadingJson {
  sensorId: string;
  timestamp: string;
  humidity?: number;
  temperature?: number;
  seq?: number;
}

/** The SensorData item: key (SensorId, Timestamp), Timestamp in epoch ms so ranges sort numerically. */
// A type alias, not an interface: it must be assignable to the adapters' Record<string, unknown> items.
export type SensorDataItem = {
  SensorId: string;
  Timestamp: number;
  TimestampIso: string;
  Humidity?: number;
  Temperature?: number;
  Seq?: number;
};

export const SENSOR_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * How far ahead of `now` a reading's time may be: device clock skew, nothing more. A reading from the
 * future could claim a low-humidity alert window that has not begun (and silence the real alert then),
 * or sort above every real reading in "newest first".
 */
export const MAX_READING_AHEAD_MS = 5 * 60 * 1000;

const sensorIdError = (issue: { input?: unknown }) =>
  issue.input === undefined
    ? 'sensorId is required'
    : `sensorId must be 1-128 characters of A-Z a-z 0-9 _ . : - (got ${shown(issue.input)})`;
const sensorIdSchema = z.string({ error: sensorIdError }).regex(SENSOR_ID_PATTERN, { error: sensorIdError });

function rangeSchema(name: string, min: number, max: number, unit: string) {
  const error = (issue: { input?: unknown }) =>
    `${name} must be a number from ${min} to ${max} ${unit} (got ${shown(issue.input)})`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

// Unknown fields are ignored (dropped), not refused: firmware can add fields (battery, rssi) without
// breaking ingestion; only the fields below are stored.
const readingSchema = z.object({
  sensorId: sensorIdSchema,
  humidity: rangeSchema('humidity', 0, 100, '(percent relative humidity)').optional(),
  temperature: rangeSchema('temperature', -80, 100, '(degrees Celsius)').optional(),
  seq: z
    .int({ error: (issue) => `seq must be a non-negative integer (got ${shown(issue.input)})` })
    .min(0, { error: (issue) => `seq must be a non-negative integer (got ${shown(issue.input)})` })
    .optional(),
});

/**
 * A reading from a parsed JSON value, or a reason a device developer can act on. `now` (epoch ms) bounds
 * the timestamp: after 2000-01-01 (which also catches epoch seconds) and at most 5 minutes ahead.
 */
export function parseReading(value: unknown, now: number): Result<SensorReading> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `a reading must be a JSON object (got ${shown(value)})` };
  }
  const problems: string[] = [];
  const fields = readingSchema.safeParse(value);
  if (!fields.success) problems.push(...fields.error.issues.map((issue) => issue.message));
  const timestamp = timestampMsOf((value as { timestamp?: unknown }).timestamp, now);
  if (!timestamp.ok) problems.push(timestamp.reason);
  if (fields.success && fields.data.humidity === undefined && fields.data.temperature === undefined) {
    problems.push('a reading needs humidity, temperature or both');
  }
  if (!fields.success || !timestamp.ok || problems.length > 0)
    return { ok: false, reason: `invalid reading: ${problems.join('; ')}` };
  const { sensorId, seq } = fields.data;
  const humidity = fields.data.humidity === undefined ? undefined : measurement(fields.data.humidity);
  const temperature = fields.data.temperature === undefined ? undefined : measurement(fields.data.temperature);
  return {
    ok: true,
    value: {
      sensorId,
      timestampMs: timestamp.value,
      timestamp: new Date(timestamp.value).toISOString(),
      ...(humidity === undefined ? {} : { humidity }),
      ...(temperature === undefined ? {} : { temperature }),
      ...(seq === undefined ? {} : { seq }),
    },
  };
}

/**
 * A measurement rounded to 6 decimal places, far finer than any humidity or temperature sensor resolves:
 * DynamoDB cannot store a number nearer zero than 1e-130 (e.g. 5e-324 would be refused as an underflow and
 * block its whole batch), and -0 becomes 0 (JSON cannot carry the sign, so it would not read back equal).
 */
export function measurement(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}

/** A reading from the UTF-8 text of a stream record (JSON). */
export function parseReadingText(text: string, now: number): Result<SensorReading> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `invalid JSON: a reading must be a JSON object (got ${shown(text)})` };
  }
  return parseReading(json, now);
}

/** An ISO-8601 date-time with a zone (Z or ±hh:mm). */
export const isoSchema = z.iso.datetime({ offset: true });

/** Epoch ms of an ISO-8601 date-time with a zone (Z or ±hh:mm) or of an integer epoch-ms number. */
export function timestampMsOf(value: unknown, now: number): Result<number> {
  const expected = 'timestamp must be an ISO-8601 date-time with a zone (2026-03-04T05:06:07Z) or epoch milliseconds';
  let ms: number;
  if (value === undefined) return { ok: false, reason: 'timestamp is required' };
  if (typeof value === 'number' && Number.isSafeInteger(value)) ms = value;
  else if (typeof value === 'string' && isoSchema.safeParse(value).success) ms = Date.parse(value);
  else return { ok: false, reason: `${expected} (got ${shown(value)})` };
  if (!Number.isFinite(ms) || ms < EARLIEST_MS) {
    const hint = typeof value === 'number' && value * 1000 >= EARLIEST_MS ? ': epoch seconds? send milliseconds' : '';
    return { ok: false, reason: `timestamp must be after 2000-01-01T00:00:00Z (got ${shown(value)}${hint})` };
  }
  if (ms > now + MAX_READING_AHEAD_MS)
    return {
      ok: false,
      reason: `timestamp is more than 5 minutes in the future (got ${shown(value)}, now is ${new Date(now).toISOString()}; check the device clock)`,
    };
  return { ok: true, value: ms };
}

/** The reading as JSON for the stream and the archive. */
export function readingJson(reading: SensorReading): ReadingJson {
  return {
    sensorId: reading.sensorId,
    timestamp: reading.timestamp,
    ...(reading.humidity === undefined ? {} : { humidity: reading.humidity }),
    ...(reading.temperature === undefined ? {} : { temperature: reading.temperature }),
    ...(reading.seq === undefined ? {} : { seq: reading.seq }),
  };
}

/** The SensorData item of a reading (absent measurements are absent attributes, not nulls). */
export function readingItem(reading: SensorReading): SensorDataItem {
  return {
    SensorId: reading.sensorId,
    Timestamp: reading.timestampMs,
    TimestampIso: reading.timestamp,
    ...(reading.humidity === undefined ? {} : { Humidity: reading.humidity }),
    ...(reading.temperature === undefined ? {} : { Temperature: reading.temperature }),
    ...(reading.seq === undefined ? {} : { Seq: reading.seq }),
  };
}

/** A reading from its SensorData item; attributes of the wrong type are left out. */
export function readingFromItem(item: Readonly<Record<string, unknown>>): SensorReading {
  const timestampMs = Number(item.Timestamp);
  const { Humidity: humidity, Temperature: temperature, Seq: seq } = item;
  return {
    sensorId: String(item.SensorId),
    timestampMs,
    timestamp: typeof item.TimestampIso === 'string' ? item.TimestampIso : new Date(timestampMs).toISOString(),
    ...(typeof humidity === 'number' ? { humidity } : {}),
    ...(typeof temperature === 'number' ? { temperature } : {}),
    ...(typeof seq === 'number' ? { seq } : {}),
  };
}
