import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { decodeS3EventKey, isMarkdownKey } from './keys.ts';

/** One object created or removed in a bucket, as an S3 event notification reports it. */
export interface ObjectChange {
  kind: 'created' | 'removed';
  bucket: string;
  /** Decoded: the key as stored. */
  key: string;
  size?: number;
  eTag?: string;
  versionId?: string;
  /** Orders the events of one key; '' when the record carried none. */
  sequencer: string;
  eventTime: string;
  eventName: string;
}

/** A record about an object this pipeline does not convert (not Markdown, or not a create or remove). */
export interface SkippedObject {
  bucket: string;
  key: string;
  eventName: string;
  reason: string;
}

/** A message or record that is not what S3 sends: kept whole for the dead-letter queue. */
export interface RejectedMessage {
  reason: string;
  raw: unknown;
}

export interface FileEvents {
  changes: ObjectChange[];
  skipped: SkippedObject[];
  rejected: RejectedMessage[];
}

const s3Record = z.object({
  eventName: z.string(),
  eventTime: z.string().default(''),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().default(''),
    }),
  }),
});
type S3Record = z.infer<typeof s3Record>;

/**
 * Every record of every S3 notification in an SNS event, in order. S3's test message (sent when
 * notifications are set up) is dropped silently; messages and records that are not S3 events are
 * rejected with the reason; keys that are not Markdown are skipped.
 */
export function parseFileEvents(event: SNSEvent): FileEvents {
  const result: FileEvents = { changes: [], skipped: [], rejected: [] };
  for (const record of event.Records ?? []) {
    const message = record.Sns?.Message;
    const parsed = typeof message === 'string' ? parseJson(message) : undefined;
    if (isTestEvent(parsed)) continue;
    const records = (parsed as { Records?: unknown } | undefined)?.Records;
    if (!Array.isArray(records)) {
      result.rejected.push({
        reason:
          parsed === undefined ? 'the SNS message is not JSON' : 'the SNS message is not an S3 event notification',
        raw: message,
      });
      continue;
    }
    for (const raw of records) addRecord(result, raw);
  }
  return result;
}

function addRecord(result: FileEvents, raw: unknown): void {
  const checked = s3Record.safeParse(raw);
  if (!checked.success) {
    result.rejected.push({
      reason: `not an S3 event record: ${checked.error.issues.map(describeIssue).join('; ')}`,
      raw,
    });
    return;
  }
  const { eventName, eventTime, s3 } = checked.data;
  let key: string;
  try {
    key = decodeS3EventKey(s3.object.key);
  } catch {
    result.rejected.push({ reason: `the object key is not URL-encoded as S3 sends it: ${s3.object.key}`, raw });
    return;
  }
  const kind = changeKind(eventName);
  const bucket = s3.bucket.name;
  if (!kind)
    result.skipped.push({ bucket, key, eventName, reason: `${eventName} neither creates nor removes an object` });
  else if (!isMarkdownKey(key))
    result.skipped.push({ bucket, key, eventName, reason: 'not a Markdown file (.md, .markdown)' });
  else result.changes.push(toChange(kind, bucket, key, eventName, eventTime, s3.object));
}

function toChange(
  kind: ObjectChange['kind'],
  bucket: string,
  key: string,
  eventName: string,
  eventTime: string,
  object: S3Record['s3']['object'],
): ObjectChange {
  const { size, eTag, versionId, sequencer } = object;
  return {
    kind,
    bucket,
    key,
    sequencer,
    eventTime,
    eventName,
    ...(size === undefined ? {} : { size }),
    ...(eTag === undefined ? {} : { eTag }),
    ...(versionId === undefined ? {} : { versionId }),
  };
}

// Lifecycle expiration removes the current object just as a DELETE does.
function changeKind(eventName: string): ObjectChange['kind'] | undefined {
  if (eventName.startsWith('ObjectCreated:')) return 'created';
  if (eventName.startsWith('ObjectRemoved:') || eventName.startsWith('LifecycleExpiration:')) return 'removed';
  return undefined;
}

function isTestEvent(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { Event?: unknown }).Event === 's3:TestEvent';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
