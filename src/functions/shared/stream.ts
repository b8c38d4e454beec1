import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchItemFailure, DynamoDBRecord } from 'aws-lambda';
import type { DeadLetter } from '../../adapters/dead-letter.ts';

type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Decodes every record of a stream batch: the values to process, and a dead letter (reason,
 * position, raw record) for each record that can never be processed.
 */
export function decodeRecords<T>(records: readonly DynamoDBRecord[], decode: (record: DynamoDBRecord) => Decoded<T>) {
  const values: T[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const record of records) {
    const decoded = decodeSafely(record, decode);
    if (decoded.ok) values.push(decoded.value);
    else deadLetters.push(deadLetterOf(record, decoded.reason));
  }
  return { values, deadLetters };
}

function decodeSafely<T>(record: DynamoDBRecord, decode: (record: DynamoDBRecord) => Decoded<T>): Decoded<T> {
  try {
    return decode(record);
  } catch (error) {
    return { ok: false, reason: `undecodable record: ${(error as Error).message}` };
  }
}

export function deadLetterOf(record: DynamoDBRecord, reason: string): DeadLetter {
  return { reason, eventSourceARN: record.eventSourceARN, sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, record };
}

/** A DynamoDB stream image as plain values; throws on a malformed attribute value. */
export function unmarshallImage(image: StreamImage | undefined): Record<string, unknown> | undefined {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

/** The partial batch response: Lambda retries from the lowest of these sequence numbers. */
export function batchItemFailures(sequenceNumbers: Iterable<string>): { batchItemFailures: DynamoDBBatchItemFailure[] } {
  return { batchItemFailures: [...new Set(sequenceNumbers)].map((itemIdentifier) => ({ itemIdentifier })) };
}
