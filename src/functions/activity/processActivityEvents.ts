import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { activityItem, activityKey, parseActivityEventText, type ActivityEvent } from '../../domain/activity/event.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { deadLetter } from '../shared/dead-letters.ts';
import { logger } from '../shared/logger.ts';
import { storeLatest } from '../shared/store-latest.ts';
import { batchItemFailures, decodeRecords, type Decoded } from '../shared/stream.ts';

const config = lazy(() => ({
  table: requiredEnv('EVENT_DATA_TABLE'),
  deadLetterQueueUrl: requiredEnv('DEAD_LETTER_QUEUE_URL'),
}));

interface Positioned { event: ActivityEvent; sequenceNumber: string }

/**
 * ActivityStream -> EventData, one item per (user, event id) made from the event alone, so a replay
 * overwrites itself. Invalid events go to the dead-letter queue with the reason; events still unwritten
 * after the retry budget (and dead letters that could not be sent) are batch item failures.
 */
export const handler = observedHandler(processActivityEvents);

async function processActivityEvents(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const now = Date.now();
  const { values, deadLetters } = decodeRecords(event.Records, (record) => decodeEvent(record, now));
  const unsent = await deadLetter(config().deadLetterQueueUrl, deadLetters);
  const unwritten = await storeLatest(config().table, values, ({ event }) => activityItem(event), (item) => activityKey({ username: String(item.Username), id: String(item.Id) }));
  logger.info('activity batch stored', { records: event.Records.length, stored: values.length - unwritten.size, deadLettered: deadLetters.length - unsent.length, failed: unwritten.size + unsent.length });
  return batchItemFailures([...unwritten, ...unsent]);
}

function decodeEvent(record: KinesisStreamRecord, now: number): Decoded<Positioned> {
  const parsed = parseActivityEventText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'), now);
  return parsed.ok ? { ok: true, value: { event: parsed.value, sequenceNumber: record.kinesis.sequenceNumber } } : parsed;
}
