import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { decodeTrackingEvent, toItem, validateTrackingEvent, withArrivalTime } from '../../domain/tracking/tracking-event.ts';
import type { TrackingEvent } from '../../domain/tracking/tracking-event.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { deadLetter } from '../shared/dead-letters.ts';
import { logger } from '../shared/logger.ts';
import { storeLatest } from '../shared/store-latest.ts';
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
export const handler = observedHandler(persistTrackingEvents);

async function persistTrackingEvents(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const { table, deadLetterQueueUrl } = config();
  const { values, deadLetters } = decodeRecords(event.Records, decodeTrackingRecord);
  const unsent = await deadLetter(deadLetterQueueUrl, deadLetters);
  const unwritten = await storeLatest(table, values, ({ event }) => toItem(event), (item) => String(item.MessageId));
  logger.info('batch persisted', { records: event.Records.length, deadLettered: deadLetters.length - unsent.length, failed: unwritten.size + unsent.length });
  return batchItemFailures([...unwritten, ...unsent]);
}


/** A Kinesis record as a storable event, or why it can never be stored (throws on undecodable bytes). */
export function decodeTrackingRecord(record: KinesisStreamRecord): Decoded<PositionedEvent> {
  const decoded = decodeTrackingEvent(Buffer.from(record.kinesis.data, 'base64'));
  const event = withArrivalTime(decoded, Math.round(record.kinesis.approximateArrivalTimestamp * 1000));
  const validation = validateTrackingEvent(event);
  return validation.ok ? { ok: true, value: { event, sequenceNumber: record.kinesis.sequenceNumber } } : { ok: false, reason: `invalid event: ${validation.reason}` };
}
