import * as z from 'zod';
import { decodeJsonCursor } from '../cursor.ts';
import { isoSchema, SENSOR_ID_PATTERN } from './reading.ts';

/**
 * `GET /sensors/alerts`: the latest alert of each sensor, newest first, a bounded page per call. The
 * SensorAlertState table (one item per sensor) has an index whose partition key is one constant value
 * for every alerted sensor and whose sort key is the time the alert was raised, so a page is one Query
 * of that partition, newest first, never a scan of the table.
 */

/** The index attribute every alert-state item carries once it has alerted, and its one value. */
export const ALERT_LIST_ATTRIBUTE = 'AlertList';
export const ALERT_LIST_VALUE = 'alerts';

export const DEFAULT_ALERTS_LIMIT = 20;
export const MAX_ALERTS_LIMIT = 100;

// A type alias so it passes as a DynamoDB key (Record<string, unknown>): the index's LastEvaluatedKey.
export type AlertIndexKey = {
  AlertList: string;
  RaisedAt: string;
  SensorId: string;
};

export interface AlertsQuery {
  limit: number;
  exclusiveStart?: AlertIndexKey;
}

export type ParsedAlertsQuery =
  { ok: true; value: AlertsQuery } | { ok: false; reason: string; field: 'limit' | 'cursor' };

/** limit 1-100 (default 20) and an optional cursor from a previous page, as the query string hands them over. */
export function parseAlertsQuery(input: { limit?: unknown; cursor?: unknown }): ParsedAlertsQuery {
  let limit = DEFAULT_ALERTS_LIMIT;
  if (input.limit !== undefined) {
    limit = typeof input.limit === 'string' && /^\d{1,3}$/.test(input.limit) ? Number(input.limit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_ALERTS_LIMIT)) {
      return {
        ok: false,
        field: 'limit',
        reason: `limit must be an integer from 1 to ${MAX_ALERTS_LIMIT} (default ${DEFAULT_ALERTS_LIMIT})`,
      };
    }
  }
  if (input.cursor === undefined) return { ok: true, value: { limit } };
  const exclusiveStart = decodeAlertsCursor(input.cursor);
  if (!exclusiveStart)
    return {
      ok: false,
      field: 'cursor',
      reason: 'cursor is not one this API issued: pass nextCursor of the previous page unchanged',
    };
  return { ok: true, value: { limit, exclusiveStart } };
}

// Opaque to clients, not secret: base64url of the index's LastEvaluatedKey as JSON, checked field by field on the way back.
const cursorSchema = z
  .object({
    AlertList: z.literal(ALERT_LIST_VALUE),
    RaisedAt: isoSchema,
    SensorId: z.string().regex(SENSOR_ID_PATTERN),
  })
  .strict();

/** The cursor for the page after the one that ended at `lastKey` (the index Query's LastEvaluatedKey). */
export function encodeAlertsCursor(lastKey: Readonly<Record<string, unknown>>): string {
  const key = cursorSchema.safeParse(lastKey);
  if (!key.success) throw new TypeError('not a key of the alerts index: expected AlertList, RaisedAt and SensorId');
  return Buffer.from(JSON.stringify(key.data), 'utf8').toString('base64url');
}

/** The index key a cursor names; undefined for anything this API did not issue (malformed, tampered). */
export function decodeAlertsCursor(cursor: unknown): AlertIndexKey | undefined {
  return decodeJsonCursor(cursor, cursorSchema, 1024);
}

export interface AlertRow {
  sensorId: string;
  timestamp: string;
  humidity: number;
  threshold: number;
  raisedAt: string;
}

/** An alert as the API lists it, from its alert-state item (as projected into the index). */
export function alertRow(item: Readonly<Record<string, unknown>>): AlertRow {
  return {
    sensorId: String(item.SensorId),
    timestamp: String(item.ReadingTimestamp),
    humidity: Number(item.Humidity),
    threshold: Number(item.Threshold),
    raisedAt: String(item.RaisedAt),
  };
}
