import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { convertToNative } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import type { DeadLetter } from '../../adapters/dead-letter.ts';
import type { Result } from '../../domain/result.ts';
import { stepSync } from '../../adapters/tracing.ts';

type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

/** A record of either stream source Lambda reads: DynamoDB Streams or Kinesis. */
export type StreamRecord = DynamoDBRecord | KinesisStreamRecord;

/** A Kinesis dead letter also names its shard; the raw base64 data is in record.kinesis.data. */
export interface KinesisDeadLetter extends DeadLetter {
  shardId: string | undefined;
}

/**
 * Decodes every record of a stream batch: the values to process, and a dead letter (reason,
 * position, raw record) for each record that can never be processed. Traced as the step `decode`.
 */
export function decodeRecords<R extends StreamRecord, T>(
  records: readonly R[],
  decode: (record: R) => Result<T>,
): { values: T[]; deadLetters: DeadLetter[] } {
  return stepSync('decode', () => decodeAll(records, decode));
}

function decodeAll<R extends StreamRecord, T>(records: readonly R[], decode: (record: R) => Result<T>) {
  const values: T[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const record of records) {
    const decoded = decodeSafely(record, decode);
    if (decoded.ok) values.push(decoded.value);
    else deadLetters.push(deadLetterOf(record, decoded.reason));
  }
  return { values, deadLetters };
}

function decodeSafely<R, T>(record: R, decode: (record: R) => Result<T>): Result<T> {
  try {
    return decode(record);
  } catch (error) {
    return { ok: false, reason: `undecodable record: ${(error as Error).message}` };
  }
}

export function deadLetterOf(record: StreamRecord, reason: string): DeadLetter {
  if ('kinesis' in record) return kinesisDeadLetterOf(record, reason);
  return {
    reason,
    eventSourceARN: record.eventSourceARN,
    sequenceNumber: record.dynamodb?.SequenceNumber,
    eventID: record.eventID,
    record,
  };
}

function kinesisDeadLetterOf(record: KinesisStreamRecord, reason: string): KinesisDeadLetter {
  return {
    reason,
    eventSourceARN: record.eventSourceARN,
    shardId: shardIdOf(record.eventID),
    sequenceNumber: record.kinesis?.sequenceNumber,
    eventID: record.eventID,
    record,
  };
}

/** Lambda's Kinesis eventID is `<shardId>:<sequenceNumber>`. */
export function shardIdOf(eventID: string | undefined): string | undefined {
  const separator = eventID?.indexOf(':') ?? -1;
  return separator > 0 ? eventID!.slice(0, separator) : undefined;
}

/**
 * A DynamoDB stream image as plain values; throws on a malformed attribute value. Each attribute becomes
 * an own property: `unmarshall` assigns them, so an attribute named `__proto__` would become the
 * result's prototype and its map's attributes would read as the image's own.
 */
export function unmarshallImage(image: StreamImage | undefined): Record<string, unknown> | undefined {
  return image
    ? Object.fromEntries(Object.entries(image).map(([name, value]) => [name, convertToNative(value as AttributeValue)]))
    : undefined;
}

/**
 * The partial batch response (same shape for DynamoDB Streams and Kinesis): Lambda retries from
 * the lowest of these sequence numbers.
 */
export function batchItemFailures(sequenceNumbers: Iterable<string>): {
  batchItemFailures: Array<{ itemIdentifier: string }>;
} {
  return { batchItemFailures: [...new Set(sequenceNumbers)].map((itemIdentifier) => ({ itemIdentifier })) };
}
