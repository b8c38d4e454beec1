import type { KinesisStreamRecord } from 'aws-lambda';
import { activityItem, activityKey, parseActivityEventText, type ActivityEvent } from '../../domain/activity/event.ts';
import { ok, type Result } from '../../domain/result.ts';
import { envConfig, string, url } from '../shared/config.ts';
import { storeLatest } from '../shared/store-latest.ts';
import { toDeadLetterQueue } from '../shared/dead-letters.ts';
import { streamConsumer } from '../shared/stream-consumer.ts';

const config = envConfig({ table: string('EVENT_DATA_TABLE'), deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL') });

interface Positioned {
  event: ActivityEvent;
  sequenceNumber: string;
}

/**
 * ActivityStream -> EventData, one item per (user, event id) made from the event alone, so a replay
 * overwrites itself. Invalid events go to the dead-letter queue with the reason; events still unwritten
 * after the retry budget (and dead letters that could not be sent) are batch item failures.
 */
export const handler = streamConsumer({
  decode: decodeEvent,
  deadLetters: toDeadLetterQueue(() => config().deadLetterQueueUrl),
  process: async (values) => {
    const unwritten = await storeLatest(
      config().table,
      values,
      ({ event }) => activityItem(event),
      (item) => activityKey({ username: String(item.Username), id: String(item.Id) }),
    );
    return { failed: [...unwritten], log: { stored: values.length - unwritten.size } };
  },
  logMessage: 'activity batch stored',
});

function decodeEvent(record: KinesisStreamRecord, now: number): Result<Positioned> {
  const parsed = parseActivityEventText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'), now);
  return parsed.ok ? ok({ event: parsed.value, sequenceNumber: record.kinesis.sequenceNumber }) : parsed;
}
