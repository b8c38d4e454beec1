import * as z from 'zod';
import { decodeJsonCursor } from '../cursor.ts';
import { isoSchema, SENSOR_ID_PATTERN } from './reading.ts';

/** The query string of `GET /sensors/{sensorId}/readings`, as API Gateway hands it over (strings), or numbers. */
export interface ReadingsQueryInput {
  sensorId?: unknown;
  from?: unknown;
  to?: unknown;
  limit?: unknown;
  cursor?: unknown;
  [other: string]: unknown;
}

// A type alias so it passes as a DynamoDB key (Record<string, unknown>).
export type ReadingKey = {
  SensorId: string;
  Timestamp: number;
};

/** One page of a sensor's readings in [fromMs, toMs], newest first. */
export interface ReadingsQuery {
  sensorId: string;
  fromMs: number;
  toMs: number;
  limit: number;
  exclusiveStart?: ReadingKey;
}

export type QueryField = 'sensorId' | 'from' | 'to' | 'limit' | 'cursor';
export type ParsedQuery = { ok: true; value: ReadingsQuery } | { ok: false; reason: string; field: QueryField };

const HOUR_MS = 3_600_000;
export const DEFAULT_RANGE_MS = 24 * HOUR_MS;
export const MAX_RANGE_MS = 31 * 24 * HOUR_MS;
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

class QueryError extends Error {
  readonly field: QueryField;
  constructor(field: QueryField, message: string) {
    super(message);
    this.field = field;
  }
}

/**
 * Validates a readings query: from/to as ISO-8601 (with a zone) or epoch ms, defaulting to the last
 * 24 h before `now`; at most 31 days; limit 1-1000 (default 100). With a cursor, bounds the request
 * leaves out come from the cursor, so every page of one listing covers the same range.
 */
export function parseReadingsQuery(input: ReadingsQueryInput, now: number): ParsedQuery {
  try {
    return { ok: true, value: readingsQuery(input, now) };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, reason: error.message, field: error.field };
    throw error;
  }
}

function readingsQuery(input: ReadingsQueryInput, now: number): ReadingsQuery {
  const sensorId = input.sensorId;
  if (typeof sensorId !== 'string' || !SENSOR_ID_PATTERN.test(sensorId)) {
    throw new QueryError('sensorId', 'sensorId must be 1-128 characters of A-Z a-z 0-9 _ . : -');
  }
  const cursor = cursorOf(input.cursor, sensorId);
  const limit = limitOf(input.limit);
  const explicitTo = timeOf('to', input.to);
  const explicitFrom = timeOf('from', input.from);
  const toMs = explicitTo ?? cursor?.toMs ?? now;
  const fromMs = explicitFrom ?? cursor?.fromMs ?? toMs - DEFAULT_RANGE_MS;
  if (fromMs > toMs) throw new QueryError('from', `from (${iso(fromMs)}) must not be after to (${iso(toMs)})`);
  if (toMs - fromMs > MAX_RANGE_MS)
    throw new QueryError(
      'from',
      `the range from ${iso(fromMs)} to ${iso(toMs)} is longer than 31 days: query it in parts`,
    );
  if (cursor && (cursor.key.Timestamp < fromMs || cursor.key.Timestamp > toMs)) {
    throw new QueryError('cursor', 'cursor does not belong to this time range: repeat the query without it');
  }
  return { sensorId, fromMs, toMs, limit, ...(cursor ? { exclusiveStart: cursor.key } : {}) };
}

const iso = (ms: number) => new Date(ms).toISOString();

function timeOf(field: 'from' | 'to', value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,16}$/.test(value)
        ? Number(value)
        : typeof value === 'string' && isoSchema.safeParse(value).success
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15) {
    throw new QueryError(
      field,
      `${field} must be an ISO-8601 date-time with a zone (2026-03-04T05:06:07Z) or epoch milliseconds`,
    );
  }
  return ms;
}

function cursorOf(value: unknown, sensorId: string): DecodedCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const cursor = decodeCursor(value, sensorId);
  if (!cursor)
    throw new QueryError(
      'cursor',
      'cursor is not one this API issued for this sensor: pass nextCursor of the previous page unchanged',
    );
  return cursor;
}

function limitOf(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_LIMIT;
  const limit =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,7}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new QueryError('limit', `limit must be an integer from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`);
  }
  return limit;
}

// The cursor is opaque to clients but not secret: base64url of this JSON. It names its sensor, so a
// cursor is refused for another sensor, and its range, so later pages continue the same listing.
const cursorSchema = z
  .object({
    v: z.literal(1),
    sensorId: z.string().regex(SENSOR_ID_PATTERN),
    timestamp: z.int(),
    fromMs: z.int().optional(),
    toMs: z.int().optional(),
  })
  .strict();

/** The cursor for the page after the one that ended at `lastKey` (DynamoDB's LastEvaluatedKey). */
export function encodeCursor(
  lastKey: Readonly<Record<string, unknown>>,
  range?: { fromMs: number; toMs: number },
): string {
  const { SensorId, Timestamp } = lastKey;
  if (typeof SensorId !== 'string' || typeof Timestamp !== 'number')
    throw new TypeError('not a SensorData key: expected SensorId (string) and Timestamp (number)');
  const cursor = {
    v: 1,
    sensorId: SensorId,
    timestamp: Timestamp,
    ...(range ? { fromMs: range.fromMs, toMs: range.toMs } : {}),
  };
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export interface DecodedCursor {
  key: ReadingKey;
  fromMs?: number;
  toMs?: number;
}

/** The key and range of a cursor issued for this sensor; undefined for anything else (malformed, tampered, another sensor's). */
export function decodeCursor(cursor: unknown, sensorId: string): DecodedCursor | undefined {
  const parsed = decodeJsonCursor(cursor, cursorSchema, 2048);
  if (!parsed || parsed.sensorId !== sensorId) return undefined;
  const { timestamp, fromMs, toMs } = parsed;
  return {
    key: { SensorId: sensorId, Timestamp: timestamp },
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
  };
}
