import { tracking } from '../../proto/generated/tracking.js';
import { err, ok, type Result } from '../result.ts';
import type { CoreData } from './core-data.ts';

/** One ad-tracking hit, enriched with its program's core data (DESIGN.md §3, TrackingEvent). */
export interface TrackingEvent {
  programId: string;
  checksum: string;
  customerId: number;
  userAgent: string;
  programName: string;
  customerName: string;
  isValid: boolean;
  messageId: string;
  timestampMs: number;
}

/** Size limits (characters) an event must keep to be stored; generous, but a bound on what we accept. */
export const LIMITS = {
  messageId: 128,
  programId: 128,
  checksum: 256,
  userAgent: 1024,
  programName: 512,
  customerName: 512,
} as const;

/**
 * The event for a hit on a known program. A user agent longer than the limit is cut rather than
 * rejected: a client's odd header must not turn a valid hit into a dead letter.
 */
export function enrichHit(
  program: CoreData,
  hit: { programId: string; userAgent: string },
  ids: { messageId: string; timestampMs: number },
): TrackingEvent {
  return {
    programId: hit.programId,
    checksum: program.checksum,
    customerId: program.customerId,
    userAgent: hit.userAgent.slice(0, LIMITS.userAgent),
    programName: program.programName,
    customerName: program.customerName,
    isValid: program.valid,
    messageId: ids.messageId,
    timestampMs: ids.timestampMs,
  };
}

/** What an anonymous caller is told about its hit (DESIGN.md §3): no customer or program data. */
export interface HitAnswer {
  messageId: string;
  programId: string;
  timestampMs: number;
}

export function hitAnswer(event: TrackingEvent): HitAnswer {
  return { messageId: event.messageId, programId: event.programId, timestampMs: event.timestampMs };
}

export function encodeTrackingEvent(event: TrackingEvent): Uint8Array {
  return tracking.TrackingEvent.encode({
    programid: event.programId,
    checksum: event.checksum,
    customerId: event.customerId,
    userAgent: event.userAgent,
    programName: event.programName,
    customerName: event.customerName,
    isValid: event.isValid,
    messageId: event.messageId,
    timestampMs: event.timestampMs,
  }).finish();
}

/**
 * The event in these bytes; throws on bytes that are not a TrackingEvent message (bad wire types,
 * truncation, invalid UTF-8). Unknown fields (from newer producers) are ignored; absent fields take
 * proto3 defaults, which validateTrackingEvent then judges.
 */
export function decodeTrackingEvent(bytes: Uint8Array): TrackingEvent {
  const message = tracking.TrackingEvent.decode(bytes);
  return {
    programId: message.programid,
    checksum: message.checksum,
    customerId: message.customerId,
    userAgent: message.userAgent,
    programName: message.programName,
    customerName: message.customerName,
    isValid: message.isValid,
    messageId: message.messageId,
    timestampMs: int64ToNumber(message.timestampMs),
  };
}

/**
 * The event with a time: older producers (the reference tracker, fields 1-8) send no `timestamp_ms`,
 * which decodes as 0; their event's time is then when Kinesis received it (`approximateArrivalTimestamp`).
 */
export function withArrivalTime(event: TrackingEvent, arrivalMs: number): TrackingEvent {
  return event.timestampMs === 0 ? { ...event, timestampMs: arrivalMs } : event;
}

/** protobufjs yields a Long when the `long` package is loadable, a number otherwise (e.g. bundled). */
function int64ToNumber(value: number | { toNumber(): number }): number {
  return typeof value === 'number' ? value : value.toNumber();
}

// Computed once: validation runs per record on the hot path.
const LIMIT_ENTRIES = Object.entries(LIMITS) as Array<[keyof typeof LIMITS, number]>;

/** The event if it can be stored (required fields present, sizes within LIMITS, sane numbers), or why not. */
export function validateTrackingEvent(event: TrackingEvent): Result<TrackingEvent> {
  for (const field of ['messageId', 'programId'] as const) {
    if (event[field] === '') return err(`${field} is missing`);
  }
  for (const [field, limit] of LIMIT_ENTRIES) {
    if (event[field].length > limit) return err(`${field} is longer than ${limit} characters`);
  }
  if (!Number.isSafeInteger(event.timestampMs) || event.timestampMs <= 0)
    return err('timestampMs is missing or not a positive integer');
  if (!Number.isInteger(event.customerId) || event.customerId < 0) return err('customerId is negative');
  return ok(event);
}

/** The TrackingEvents item: keyed by MessageId, so storing a redelivered event overwrites it. */
export function toItem(event: TrackingEvent): Record<string, unknown> {
  return {
    MessageId: event.messageId,
    ProgramId: event.programId,
    Checksum: event.checksum,
    CustomerId: event.customerId,
    UserAgent: event.userAgent,
    ProgramName: event.programName,
    CustomerName: event.customerName,
    IsValid: event.isValid,
    // Epoch milliseconds only: formatting an ISO string per record would halve the mapping rate.
    TimestampMs: event.timestampMs,
  };
}
