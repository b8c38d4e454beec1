import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { putAll } from '../../adapters/batch-writer.ts';
import { sendToDeadLetterQueue } from '../../adapters/dead-letter.ts';
import { decodeTrackingEvent, toItem, validateTrackingEvent } from '../../domain/tracking/tracking-event.ts';
import type { TrackingEvent } from '../../domain/tracking/tracking-event.ts';
import { latestByKey } from '../../domain/tracking/write-batches.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { batchItemFailures, decodeRecords } from '../shared/stream.ts';
import type { Decoded } from '../shared/stream.ts';

const config = lazy(() => ({
  table: requiredEnv('TRACKING_EVENTS_TABLE'),
  deadLetterQueueUrl: requiredEnv('DEAD_LETTER_QUEUE_URL'),
}));

/** A decoded event and where it was in its shard. */
export interface PositionedEvent {
  event: TrackingEvent;
  sequenceNumber: string;
}

/**
 * TrackingEventStream -> TrackingEvents, one item per message id (a replay overwrites). Records
 * that can never be stored go to the dead-letter queue; items DynamoDB did not take after the retry
 * budget are reported as batch item failures, so Lambda delivers them again.
 */
export const handler = middy(persistTrackingEvents).use(injectLambdaContext(logger, { resetKeys: true }));

async function persistTrackingEvents(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const { table, deadLetterQueueUrl } = config();
  const { values, deadLetters } = decodeRecords(event.Records, decodeTrackingRecord);
  const unsent = deadLetters.length > 0 ? await sendToDeadLetterQueue(deadLetterQueueUrl, deadLetters) : [];
  for (const letter of deadLetters) logger.warn('record sent to the dead-letter queue', { reason: letter.reason, sequenceNumber: letter.sequenceNumber });
  const unwritten = await storeEvents(table, values);
  logger.info('batch persisted', { records: event.Records.length, deadLettered: deadLetters.length - unsent.length, failed: unwritten.length + unsent.length });
  return batchItemFailures([...unwritten, ...unsent.map((letter) => letter.sequenceNumber!)]);
}

/** Writes the events; returns the sequence numbers of the records whose item was not written. */
async function storeEvents(table: string, events: readonly PositionedEvent[]): Promise<string[]> {
  const distinct = latestByKey(events, ({ event }) => event.messageId);
  const leftovers = await putAll(table, distinct.map(({ event }) => toItem(event)), {
    onError: (error) => logger.warn('BatchWriteItem failed; its items will be retried', error as Error),
  });
  const unwrittenIds = new Set(leftovers.map((item) => item.MessageId));
  return events.filter(({ event }) => unwrittenIds.has(event.messageId)).map(({ sequenceNumber }) => sequenceNumber);
}

/** A Kinesis record as a storable event, or why it can never be stored (throws on undecodable bytes). */
export function decodeTrackingRecord(record: KinesisStreamRecord): Decoded<PositionedEvent> {
  const event = decodeTrackingEvent(Buffer.from(record.kinesis.data, 'base64'));
  const validation = validateTrackingEvent(event);
  return validation.ok ? { ok: true, value: { event, sequenceNumber: record.kinesis.sequenceNumber } } : { ok: false, reason: `invalid event: ${validation.reason}` };
}
