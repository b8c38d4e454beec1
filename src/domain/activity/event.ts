import type { Result } from '../result.ts';
import { parseTimestamp, shown } from './timestamp.ts';

/** A validated activity event (DESIGN.md §1 row 5), its time normalised to UTC. */
export interface ActivityEvent {
  username: string;
  id: string;
  timestampMs: number;
  /** ISO-8601 in UTC with milliseconds, e.g. 2026-03-04T05:06:07.000Z. */
  timestamp: string;
  message: string;
}

/**
 * The EventData item: key (Username, Id). Everything in it comes from the event (no processing time),
 * so a replayed or redelivered event writes the very same item over itself.
 */
// A type alias, not an interface: it must be assignable to the adapters' Record<string, unknown> items.
export type EventDataItem = {
  Username: string;
  Id: string;
  Timestamp: string;
  TimestampMs: number;
  Message: string;
};

export const MAX_USERNAME_CHARS = 128;
export const MAX_ID_CHARS = 256;
/** 10 KB of UTF-8: room for any human-written activity message, far below DynamoDB's 400 KB item limit. */
export const MAX_MESSAGE_BYTES = 10 * 1024;

/** The spellings producers use for each field (EventData's own attribute names too); several present must agree. */
export const USERNAME_FIELDS = ['username', 'userName', 'user', 'Username'] as const;
export const ID_FIELDS = ['id', 'eventId', 'Id'] as const;
export const TIMESTAMP_FIELDS = ['timestamp', 'Timestamp'] as const;
export const MESSAGE_FIELDS = ['message', 'Message'] as const;

// Reasons are logged as well as dead-lettered: they quote ids and times, but name user names, messages
// and unparseable records only by their kind or size (the raw record is in the dead letter).
const kindOf = (value: unknown) => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string of ${[...value].length} characters`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
};

/**
 * An activity event from a parsed JSON value, or every reason it is refused. Accepted: the user name as
 * `username`, `userName` or `user` (a string); the event id as `id` or `eventId` (a string, or an integer,
 * stored as its decimal string); `timestamp` in any format of parseTimestamp; `message` (a string, at most
 * 10 KB of UTF-8, may be empty); or EventData's attribute names (`Username`, `Id`, `Timestamp`, `Message`).
 * A Twitter API v1.1 status, as the reference producer put them on the stream, is read as the reference
 * consumer stored it (see twitterStatusFields). Unknown fields are ignored. `now` (epoch ms) bounds the timestamp.
 */
export function parseActivityEvent(value: unknown, now: number): Result<ActivityEvent> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `invalid activity event: an event must be a JSON object (got ${kindOf(value)})` };
  }
  const fields = twitterStatusFields(value as Record<string, unknown>) ?? (value as Record<string, unknown>);
  const username = usernameOf(fields);
  const id = idOf(fields);
  const time = oneOf(fields, TIMESTAMP_FIELDS, 'timestamp');
  const timestamp = time.ok ? parseTimestamp(time.value, now) : time;
  const text = oneOf(fields, MESSAGE_FIELDS, 'message');
  const message = text.ok ? messageOf(text.value) : text;
  if (!username.ok || !id.ok || !timestamp.ok || !message.ok) {
    const reasons = [username, id, timestamp, message].flatMap((field) => (field.ok ? [] : [field.reason]));
    return { ok: false, reason: `invalid activity event: ${reasons.join('; ')}` };
  }
  return {
    ok: true,
    value: {
      username: username.value,
      id: id.value,
      timestampMs: timestamp.value,
      timestamp: new Date(timestamp.value).toISOString(),
      message: message.value,
    },
  };
}

/** An activity event from the UTF-8 text of a stream record (JSON). */
export function parseActivityEventText(text: string, now: number): Result<ActivityEvent> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      ok: false,
      reason: `invalid JSON: an activity event must be a JSON object (got ${new TextEncoder().encode(text).length} bytes that do not parse)`,
    };
  }
  return parseActivityEvent(json, now);
}

/**
 * A Twitter API v1.1 status as the reference stored it: Username = `user.name`, Id = `id_str` (the numeric
 * `id` does not fit a double), Timestamp = `created_at`, Message = `text`, or the full text of a long
 * status (`extended_tweet.full_text`, or `full_text` in extended mode). Undefined when it is no status.
 */
export function twitterStatusFields(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const user = fields.user;
  if (
    typeof user !== 'object' ||
    user === null ||
    Array.isArray(user) ||
    !('id_str' in fields || 'created_at' in fields)
  )
    return undefined;
  const extended = fields.extended_tweet as { full_text?: unknown } | undefined;
  return {
    username: (user as Record<string, unknown>).name,
    id: fields.id_str,
    timestamp: fields.created_at,
    message: extended?.full_text ?? fields.full_text ?? fields.text,
  };
}

/** The EventData item of an event. */
export function activityItem(event: ActivityEvent): EventDataItem {
  return {
    Username: event.username,
    Id: event.id,
    Timestamp: event.timestamp,
    TimestampMs: event.timestampMs,
    Message: event.message,
  };
}

/** An event from its EventData item. */
export function activityFromItem(item: Readonly<Record<string, unknown>>): ActivityEvent {
  const timestampMs = Number(item.TimestampMs);
  return {
    username: String(item.Username),
    id: String(item.Id),
    timestampMs,
    timestamp: typeof item.Timestamp === 'string' ? item.Timestamp : new Date(timestampMs).toISOString(),
    message: typeof item.Message === 'string' ? item.Message : '',
  };
}

/** The EventData key of an event as one string (for deduplicating a batch). */
export function activityKey(event: Pick<ActivityEvent, 'username' | 'id'>): string {
  return `${event.username}\u0000${event.id}`;
}

/** The one value of a field that may be spelled several ways; differing spellings are a conflict. */
function oneOf(fields: Record<string, unknown>, names: readonly string[], label: string): Result<unknown> {
  const present = names.filter((name) => fields[name] !== undefined && fields[name] !== null);
  if (present.length === 0) return { ok: false, reason: `${label} is required (as ${names.join(', ')})` };
  const values = present.map((name) => fields[name]);
  if (values.some((other) => other !== values[0])) {
    return { ok: false, reason: `${label} is given differently in ${present.join(' and ')}` };
  }
  return { ok: true, value: values[0] };
}

function usernameOf(fields: Record<string, unknown>): Result<string> {
  const found = oneOf(fields, USERNAME_FIELDS, 'username');
  if (!found.ok) return found;
  return keyString(found.value, 'username', MAX_USERNAME_CHARS, '', false);
}

function idOf(fields: Record<string, unknown>): Result<string> {
  const found = oneOf(fields, ID_FIELDS, 'id');
  if (!found.ok) return found;
  if (typeof found.value === 'number' && Number.isSafeInteger(found.value))
    return { ok: true, value: String(found.value) };
  return keyString(found.value, 'id', MAX_ID_CHARS, ' or an integer');
}

/** A key attribute: a non-blank string without control characters, of bounded length. */
function keyString(value: unknown, label: string, maxChars: number, alternative = '', echo = true): Result<string> {
  const got = echo ? shown(value) : kindOf(value);
  if (typeof value !== 'string') return { ok: false, reason: `${label} must be a string${alternative} (got ${got})` };
  if (value.trim() === '') return { ok: false, reason: `${label} must not be blank` };
  if (!value.isWellFormed()) return { ok: false, reason: `${label} must be valid Unicode (it has a lone surrogate)` };
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f\u007f]/.test(value))
    return { ok: false, reason: `${label} must not contain control characters (got ${got})` };
  if ([...value].length > maxChars)
    return { ok: false, reason: `${label} must be at most ${maxChars} characters (got ${[...value].length})` };
  return { ok: true, value };
}

function messageOf(value: unknown): Result<string> {
  if (value === undefined || value === null) return { ok: false, reason: 'message is required' };
  if (typeof value !== 'string') return { ok: false, reason: `message must be a string (got ${kindOf(value)})` };
  // A lone surrogate cannot be stored as UTF-8: it would come back changed.
  if (!value.isWellFormed()) return { ok: false, reason: 'message must be valid Unicode (it has a lone surrogate)' };
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > MAX_MESSAGE_BYTES)
    return { ok: false, reason: `message must be at most ${MAX_MESSAGE_BYTES} bytes of UTF-8 (got ${bytes})` };
  return { ok: true, value };
}
