import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoDbAggregationStore } from '../../adapters/aggregation-store.ts';
import { backoffMs } from '../../adapters/dynamodb.ts';
import { step } from '../../adapters/tracing.ts';
import { applyVoteChanges } from '../../domain/votes/apply-aggregation.ts';
import { voteChangeOf } from '../../domain/votes/vote-change.ts';
import type { VoteChange } from '../../domain/votes/vote-change.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { deadLetter } from '../shared/dead-letters.ts';
import { logger } from '../shared/logger.ts';
import { batchItemFailures, decodeRecords, unmarshallImage } from '../shared/stream.ts';
import type { Decoded } from '../shared/stream.ts';

const config = lazy(() => ({
  store: dynamoDbAggregationStore({ appliedVotes: requiredEnv('APPLIED_VOTES_TABLE'), aggregates: requiredEnv('AGGREGATES_TABLE') }),
  deadLetterQueueUrl: requiredEnv('DEAD_LETTER_QUEUE_URL'),
}));

/**
 * VoteApp stream -> exact totals in VoteAppAggregates. Undecodable records go to the dead-letter
 * queue; changes that could not be applied now are reported as batch item failures.
 */
export const handler = observedHandler(aggregateVotes);

async function aggregateVotes(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { store, deadLetterQueueUrl } = config();
  const { values: changes, deadLetters } = decodeRecords(event.Records, decodeVoteChange);
  const unsent = await deadLetter(deadLetterQueueUrl, deadLetters);
  const failed = await step('store', () => applyVoteChanges(changes, store, {
    beforeRetry: (round) => sleep(backoffMs(round)),
    onError: (error) => logger.warn('aggregation write failed; its records will be retried', error as Error),
  }));
  logger.info('batch aggregated', { records: event.Records.length, deadLettered: deadLetters.length - unsent.length, failed: failed.length + unsent.length });
  return batchItemFailures([...failed, ...unsent]);
}

/** A VoteApp stream record as a vote change, or why it can never be applied. */
export function decodeVoteChange(record: DynamoDBRecord): Decoded<VoteChange> {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!sequenceNumber) return { ok: false, reason: 'no SequenceNumber' };
  const result = voteChangeOf({
    eventName: record.eventName,
    sequenceNumber,
    keys: unmarshallImage(record.dynamodb?.Keys),
    newImage: unmarshallImage(record.dynamodb?.NewImage),
    oldImage: unmarshallImage(record.dynamodb?.OldImage),
  });
  return result.ok ? { ok: true, value: result.change } : result;
}
