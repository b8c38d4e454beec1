import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { applyCoreData, redisSettingsFromEnv, sharedRedisClient } from '../../adapters/redis.ts';
import { step } from '../../adapters/tracing.ts';
import { parseCoreDataText } from '../../domain/tracking/core-data.ts';
import type { CoreData } from '../../domain/tracking/core-data.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { deadLetter } from '../shared/dead-letters.ts';
import { logger } from '../shared/logger.ts';
import { batchItemFailures, decodeRecords } from '../shared/stream.ts';
import type { Decoded } from '../shared/stream.ts';

const config = lazy(() => ({
  keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'program:',
  channel: requiredEnv('CORE_DATA_CHANNEL'),
  deadLetterQueueUrl: requiredEnv('DEAD_LETTER_QUEUE_URL'),
}));
// A few quick reconnect attempts: an unreachable Redis fails the batch's records, and Lambda retries them.
const redis = sharedRedisClient(() => redisSettingsFromEnv(3));

/**
 * CoreDataStream -> one hash per program in Redis + a PUBLISH to the trackers, newest version wins.
 * Invalid records go to the dead-letter queue; records Redis could not take are batch item failures.
 */
export const handler = observedHandler(updateCoreData);

interface Update { coreData: CoreData; sequenceNumber: string }

async function updateCoreData(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const { values: updates, deadLetters } = decodeRecords(event.Records, decodeUpdate);
  const unsent = await deadLetter(config().deadLetterQueueUrl, deadLetters);
  const failed = await step('store', () => applyUpdates(updates));
  logger.info('core data batch applied', { records: event.Records.length, deadLettered: deadLetters.length - unsent.length, failed: failed.length + unsent.length });
  return batchItemFailures([...failed, ...unsent]);
}

/** A CoreDataStream record as an update, or why it can never be applied. */
function decodeUpdate(record: KinesisStreamRecord): Decoded<Update> {
  const parsed = parseCoreDataText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  return parsed.ok ? { ok: true, value: { coreData: parsed.value, sequenceNumber: record.kinesis.sequenceNumber } } : parsed;
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
  const outcomes = await Promise.allSettled(updates.map((update) => applyCoreData(client, { keyPrefix, channel }, update.coreData)));
  const failed: string[] = [];
  outcomes.forEach((outcome, index) => {
    const { coreData, sequenceNumber } = updates[index]!;
    if (outcome.status === 'rejected') {
      failed.push(sequenceNumber);
      logger.warn('core data update failed; it will be retried', { programId: coreData.programId, sequenceNumber, error: String(outcome.reason) });
    } else if (outcome.value === 'stale') {
      logger.info('stale core data ignored', { programId: coreData.programId, version: coreData.version, sequenceNumber });
    }
  });
  return failed;
}
