import type { KinesisStreamRecord } from 'aws-lambda';
import { err, ok, type Result } from '../../domain/result.ts';
import {
  decodeTrackingEvent,
  toItem,
  validateTrackingEvent,
  withArrivalTime,
} from '../../domain/tracking/tracking-event.ts';
import type { TrackingEvent } from '../../domain/tracking/tracking-event.ts';
import { envConfig, string, url } from '../shared/config.ts';
import { storeLatest } from '../shared/store-latest.ts';
import { toDeadLetterQueue } from '../shared/dead-letters.ts';
import { streamConsumer } from '../shared/stream-consumer.ts';

const config = envConfig({ table: string('TRACKING_EVENTS_TABLE'), deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL') });

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
export const handler = streamConsumer({
  decode: decodeTrackingRecord,
  deadLetters: toDeadLetterQueue(() => config().deadLetterQueueUrl),
  process: async (values) => {
    const unwritten = await storeLatest(
      config().table,
      values,
      ({ event }) => toItem(event),
      (item) => String(item.MessageId),
    );
    return { failed: [...unwritten] };
  },
  logMessage: 'batch persisted',
});

/** A Kinesis record as a storable event, or why it can never be stored (throws on undecodable bytes). */
export function decodeTrackingRecord(record: KinesisStreamRecord): Result<PositionedEvent> {
  const decoded = decodeTrackingEvent(Buffer.from(record.kinesis.data, 'base64'));
  const event = withArrivalTime(decoded, Math.round(record.kinesis.approximateArrivalTimestamp * 1000));
  const validation = validateTrackingEvent(event);
  return validation.ok
    ? ok({ event, sequenceNumber: record.kinesis.sequenceNumber })
    : err(`invalid event: ${validation.reason}`);
}
