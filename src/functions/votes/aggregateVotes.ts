import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBRecord } from 'aws-lambda';
import { dynamoDbAggregationStore } from '../../adapters/aggregation-store.ts';
import { backoffMs } from '../../adapters/dynamodb.ts';
import { step } from '../../adapters/tracing.ts';
import { err, type Result } from '../../domain/result.ts';
import { applyVoteChanges } from '../../domain/votes/apply-aggregation.ts';
import { voteChangeOf } from '../../domain/votes/vote-change.ts';
import type { VoteChange } from '../../domain/votes/vote-change.ts';
import { envConfig, lazy, string, url } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { toDeadLetterQueue } from '../shared/dead-letters.ts';
import { streamConsumer } from '../shared/stream-consumer.ts';
import { unmarshallImage } from '../shared/stream.ts';

const config = envConfig({
  appliedVotes: string('APPLIED_VOTES_TABLE'),
  aggregates: string('AGGREGATES_TABLE'),
  deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL'),
});
const store = lazy(() =>
  dynamoDbAggregationStore({ appliedVotes: config().appliedVotes, aggregates: config().aggregates }),
);

/**
 * VoteApp stream -> exact totals in VoteAppAggregates. Undecodable records go to the dead-letter
 * queue; changes that could not be applied now are reported as batch item failures.
 */
export const handler = streamConsumer({
  decode: decodeVoteChange,
  deadLetters: toDeadLetterQueue(() => config().deadLetterQueueUrl),
  process: async (changes) => ({
    failed: await step('store', () =>
      applyVoteChanges(changes, store(), {
        beforeRetry: (round) => sleep(backoffMs(round)),
        onError: (error) => logger.warn('aggregation write failed; its records will be retried', error as Error),
      }),
    ),
  }),
  logMessage: 'batch aggregated',
});

/** A VoteApp stream record as a vote change, or why it can never be applied. */
export function decodeVoteChange(record: DynamoDBRecord): Result<VoteChange> {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!sequenceNumber) return err('no SequenceNumber');
  return voteChangeOf({
    eventName: record.eventName,
    sequenceNumber,
    keys: unmarshallImage(record.dynamodb?.Keys),
    newImage: unmarshallImage(record.dynamodb?.NewImage),
    oldImage: unmarshallImage(record.dynamodb?.OldImage),
  });
}
