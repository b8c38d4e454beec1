import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { putAll } from '../../adapters/batch-writer.ts';
import { sendToDeadLetterQueue } from '../../adapters/dead-letter.ts';
import { activityItem, activityKey, parseActivityEventText, type ActivityEvent } from '../../domain/activity/event.ts';
import { latestByKey } from '../../domain/tracking/write-batches.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
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
export const handler = middy(processActivityEvents).use(injectLambdaContext(logger, { resetKeys: true }));

async function processActivityEvents(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const now = Date.now();
  const { values, deadLetters } = decodeRecords(event.Records, (record) => decodeEvent(record, now));
  const unsent = deadLetters.length > 0 ? await sendToDeadLetterQueue(config().deadLetterQueueUrl, deadLetters) : [];
  for (const letter of deadLetters) logger.warn('activity event sent to the dead-letter queue', { reason: letter.reason, sequenceNumber: letter.sequenceNumber });
  const unwritten = await storeEvents(values);
  logger.info('activity batch stored', { records: event.Records.length, stored: values.length - unwritten.size, deadLettered: deadLetters.length - unsent.length, failed: unwritten.size + unsent.length });
  return batchItemFailures([...unwritten, ...unsent.map((letter) => letter.sequenceNumber!)]);
}

function decodeEvent(record: KinesisStreamRecord, now: number): Decoded<Positioned> {
  const parsed = parseActivityEventText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'), now);
  return parsed.ok ? { ok: true, value: { event: parsed.value, sequenceNumber: record.kinesis.sequenceNumber } } : parsed;
}

/** Writes the events (last in stream order wins per key); returns the sequence numbers not stored. */
async function storeEvents(events: readonly Positioned[]): Promise<Set<string>> {
  const keyOf = ({ event }: Positioned) => activityKey(event);
  const leftovers = await putAll(config().table, latestByKey(events, keyOf).map(({ event }) => activityItem(event)), {
    onError: (error) => logger.warn('BatchWriteItem failed; its items will be retried', error as Error),
  });
  const unwrittenKeys = new Set(leftovers.map((item) => activityKey({ username: String(item.Username), id: String(item.Id) })));
  return new Set(events.filter((positioned) => unwrittenKeys.has(keyOf(positioned))).map(({ sequenceNumber }) => sequenceNumber));
}
