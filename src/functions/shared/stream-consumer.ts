import type { Context } from 'aws-lambda';
import type { DeadLetter } from '../../adapters/dead-letter.ts';
import type { Result } from '../../domain/result.ts';
import { observedHandler } from './handler.ts';
import { logger } from './logger.ts';
import { batchItemFailures, decodeRecords, type StreamRecord } from './stream.ts';

/** What a consumer's `process` is told of its batch besides the decoded values. */
export interface Batch {
  /** When the batch arrived (epoch ms): the one clock reading of decode and process. */
  now: number;
  /** How many records the batch held, decodable or not. */
  records: number;
  context: Context;
}

export interface Processed {
  /** Sequence numbers of the records that failed for now (Lambda delivers them again). */
  failed: readonly string[];
  /** The consumer's own counts for the batch's log line (after `records`, before the dead-letter counts). */
  log?: Record<string, unknown>;
}

export interface StreamConsumer<R extends StreamRecord, T> {
  /** A record as a value to process, or why it can never be processed (a throw counts as that too). */
  decode(record: R, now: number): Result<T>;
  /** Processes the decoded values of one batch. */
  process(values: T[], batch: Batch): Promise<Processed>;
  /**
   * Sends the records decode refused to the dead-letter queue, returning the sequence numbers of the letters
   * it could not send: `toDeadLetterQueue(() => config().deadLetterQueueUrl)` (dead-letters.ts; passed in,
   * so a consumer without one loads no SQS client). Without it refused records are skipped, and the log
   * line holds only the consumer's own counts (archiveSensorReadings: the store consumer dead-letters them).
   */
  deadLetters?: (letters: DeadLetter[]) => Promise<string[]>;
  /** The message of the one structured log line per batch. */
  logMessage: string;
}

/**
 * The one way a Kinesis or DynamoDB Streams consumer is built: traced and logged (observedHandler), each
 * record decoded, poison records sent to the dead-letter queue (those that could not be sent become batch
 * item failures rather than be lost), `process` given the rest, one log line per batch
 * `{records, ...counts, deadLettered, failed}`, and the partial batch response.
 */
export function streamConsumer<R extends StreamRecord, T>(consumer: StreamConsumer<R, T>) {
  return observedHandler(async (event: { Records: R[] }, context: Context) => {
    const now = Date.now();
    const { values, deadLetters } = decodeRecords(event.Records, (record) => consumer.decode(record, now));
    const unsent = consumer.deadLetters ? await consumer.deadLetters(deadLetters) : [];
    const { failed, log } = await consumer.process(values, { now, records: event.Records.length, context });
    const counts = consumer.deadLetters
      ? { deadLettered: deadLetters.length - unsent.length, failed: failed.length + unsent.length }
      : {};
    logger.info(consumer.logMessage, { records: event.Records.length, ...log, ...counts });
    return batchItemFailures([...failed, ...unsent]);
  });
}
