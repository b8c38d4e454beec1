import { logLine, logLines } from './log-lines.ts';
import { decodeSubscriptionData, encodeSubscriptionData, type DataMessage } from './subscription.ts';

/** One record of a Firehose transformation event (data base64), with its Kinesis partition key when it has one. */
export interface TransformInput {
  recordId: string;
  data: string;
  partitionKey?: string;
}

export type TransformResult =
  { recordId: string; result: 'Ok'; data: string } | { recordId: string; result: 'Dropped' | 'ProcessingFailed' };

/** Original data to put back on the source stream, so Firehose reads it again in a later batch. */
export interface Reingestion {
  recordId: string;
  partitionKey: string;
  data: Uint8Array;
}

export interface TransformPlan {
  /** One per input record, in input order. */
  records: TransformResult[];
  reingest: Reingestion[];
  /** Why each ProcessingFailed record failed (Firehose keeps no reason; the function logs these). */
  failures: Array<{ recordId: string; reason: string }>;
}

/**
 * Firehose's limit on the transformation response is 6 MiB (6,291,456 bytes); like the AWS blueprint
 * we keep under 6,000,000 so the JSON around the records never tips it over.
 */
export const MAX_RESPONSE_BYTES = 6_000_000;
const ENVELOPE_BYTES = Buffer.byteLength('{"records":[]}');

/**
 * Transforms a batch of CloudWatch Logs subscription records: DATA_MESSAGE -> Ok with NDJSON (one line
 * per log event), CONTROL_MESSAGE -> Dropped, anything undecodable -> ProcessingFailed. Then keeps the
 * response under the limit as the AWS CloudWatch Logs blueprint does: the Ok records that come after the
 * response is full are answered Dropped and their original data is re-ingested; a record too large on
 * its own is split by log events into records that each fit, and those are re-ingested instead.
 */
export function transformRecords(
  inputs: readonly TransformInput[],
  maxResponseBytes = MAX_RESPONSE_BYTES,
): TransformPlan {
  const plan: TransformPlan = { records: [], reingest: [], failures: [] };
  let used = ENVELOPE_BYTES;
  let full = false;
  for (const input of inputs) {
    const decoded = decodeSubscriptionData(input.data);
    if (!decoded.ok) {
      used += add(plan, { recordId: input.recordId, result: 'ProcessingFailed' });
      plan.failures.push({ recordId: input.recordId, reason: decoded.reason });
      continue;
    }
    // A data message without events has nothing to deliver (an empty Ok would be an empty line-less record).
    if (decoded.value.messageType === 'CONTROL_MESSAGE' || decoded.value.logEvents.length === 0) {
      used += add(plan, { recordId: input.recordId, result: 'Dropped' });
      continue;
    }
    const message = decoded.value;
    const ok: TransformResult = {
      recordId: input.recordId,
      result: 'Ok',
      data: Buffer.from(logLines(message)).toString('base64'),
    };
    const size = entryBytes(ok);
    const partitionKey = input.partitionKey ?? input.recordId;
    if (ENVELOPE_BYTES + size > maxResponseBytes) {
      const parts = splitByLogEvents(
        message,
        maxResponseBytes - ENVELOPE_BYTES - entryBytes({ recordId: input.recordId, result: 'Ok', data: '' }),
      );
      if (!parts) {
        used += add(plan, { recordId: input.recordId, result: 'ProcessingFailed' });
        plan.failures.push({
          recordId: input.recordId,
          reason: 'a log event is larger than the transformation response limit',
        });
        continue;
      }
      used += add(plan, { recordId: input.recordId, result: 'Dropped' });
      plan.reingest.push(
        ...parts.map((part) => ({ recordId: input.recordId, partitionKey, data: encodeSubscriptionData(part) })),
      );
      continue;
    }
    if (full || used + size > maxResponseBytes) {
      full = true;
      used += add(plan, { recordId: input.recordId, result: 'Dropped' });
      plan.reingest.push({ recordId: input.recordId, partitionKey, data: Buffer.from(input.data, 'base64') });
      continue;
    }
    used += add(plan, ok);
  }
  return plan;
}

/**
 * After re-ingestion: a record whose data could not all be put back on the stream is answered
 * ProcessingFailed instead of Dropped, so Firehose writes its original data to the error prefix.
 */
export function withUnreingested(plan: TransformPlan, recordIds: ReadonlySet<string>): TransformPlan {
  if (recordIds.size === 0) return plan;
  return {
    records: plan.records.map((record) =>
      recordIds.has(record.recordId) ? { recordId: record.recordId, result: 'ProcessingFailed' } : record,
    ),
    reingest: plan.reingest,
    failures: [
      ...plan.failures,
      ...[...recordIds].map((recordId) => ({ recordId, reason: 'could not be re-ingested onto the source stream' })),
    ],
  };
}

/**
 * Splits a data message into messages whose transformed data (base64 of the NDJSON) each fit in
 * `maxDataChars`, keeping the log events in order; undefined when a single event cannot fit.
 */
export function splitByLogEvents(message: DataMessage, maxDataChars: number): DataMessage[] | undefined {
  const maxLineBytes = Math.floor(maxDataChars / 4) * 3;
  const parts: DataMessage[] = [];
  let events: DataMessage['logEvents'] = [];
  let bytes = 0;
  for (const event of message.logEvents) {
    const lineBytes = Buffer.byteLength(logLine(message, event));
    if (lineBytes > maxLineBytes) return undefined;
    if (bytes + lineBytes > maxLineBytes) {
      parts.push({ ...message, logEvents: events });
      events = [];
      bytes = 0;
    }
    events.push(event);
    bytes += lineBytes;
  }
  if (events.length > 0) parts.push({ ...message, logEvents: events });
  return parts;
}

/** Bytes a record adds to the response JSON, with the comma between records. */
function entryBytes(record: TransformResult): number {
  return Buffer.byteLength(JSON.stringify(record)) + 1;
}

function add(plan: TransformPlan, record: TransformResult): number {
  plan.records.push(record);
  return entryBytes(record);
}
