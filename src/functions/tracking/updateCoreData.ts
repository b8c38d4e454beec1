import type { KinesisStreamRecord } from 'aws-lambda';
import { applyCoreData, redisSettings, sharedRedisClient } from '../../adapters/redis.ts';
import { step } from '../../adapters/tracing.ts';
import { ok, type Result } from '../../domain/result.ts';
import { parseCoreDataText } from '../../domain/tracking/core-data.ts';
import type { CoreData } from '../../domain/tracking/core-data.ts';
import { envConfig, optional, string, url } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { toDeadLetterQueue } from '../shared/dead-letters.ts';
import { streamConsumer } from '../shared/stream-consumer.ts';

const config = envConfig({
  keyPrefix: string('REDIS_KEY_PREFIX'),
  channel: string('CORE_DATA_CHANNEL'),
  deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL'),
  redisUrl: string('REDIS_URL'),
  redisAuthSecret: optional(string('REDIS_AUTH_SECRET')),
});
// A few quick reconnect attempts: an unreachable Redis fails the batch's records, and Lambda retries them.
const redis = sharedRedisClient(() => redisSettings(config().redisUrl, config().redisAuthSecret, 3));

/**
 * CoreDataStream -> one hash per program in Redis + a PUBLISH to the trackers, newest version wins.
 * Invalid records go to the dead-letter queue; records Redis could not take are batch item failures.
 */
export const handler = streamConsumer({
  decode: decodeUpdate,
  deadLetters: toDeadLetterQueue(() => config().deadLetterQueueUrl),
  process: async (updates) => ({ failed: await step('store', () => applyUpdates(updates)) }),
  logMessage: 'core data batch applied',
});

interface Update {
  coreData: CoreData;
  sequenceNumber: string;
}

/** A CoreDataStream record as an update, or why it can never be applied. */
function decodeUpdate(record: KinesisStreamRecord): Result<Update> {
  const parsed = parseCoreDataText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  return parsed.ok ? ok({ coreData: parsed.value, sequenceNumber: record.kinesis.sequenceNumber }) : parsed;
}

/**
 * Sends every update at once on one connection: Redis runs the scripts in the order they were sent,
 * so per-program order holds without a round trip per record. Returns the sequence numbers of the
 * updates that did not reach Redis (Lambda retries from the lowest; re-applying is a no-op).
 */
async function applyUpdates(updates: readonly Update[]): Promise<string[]> {
  if (updates.length === 0) return [];
  const { keyPrefix, channel } = config();
  let client;
  try {
    client = await redis();
  } catch (error) {
    logger.warn('Redis unreachable; the batch will be retried', error as Error);
    return updates.map((update) => update.sequenceNumber);
  }
  const outcomes = await Promise.allSettled(
    updates.map((update) => applyCoreData(client, { keyPrefix, channel }, update.coreData)),
  );
  const failed: string[] = [];
  outcomes.forEach((outcome, index) => {
    const { coreData, sequenceNumber } = updates[index]!;
    if (outcome.status === 'rejected') {
      failed.push(sequenceNumber);
      logger.warn('core data update failed; it will be retried', {
        programId: coreData.programId,
        sequenceNumber,
        error: String(outcome.reason),
      });
    } else if (outcome.value === 'stale') {
      logger.info('stale core data ignored', {
        programId: coreData.programId,
        version: coreData.version,
        sequenceNumber,
      });
    }
  });
  return failed;
}
