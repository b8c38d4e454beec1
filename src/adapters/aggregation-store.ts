import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AggregationPlan, AppliedVote, VoterUpdate } from '../domain/votes/aggregation.ts';
import type { AggregationStore } from '../domain/votes/apply-aggregation.ts';
import { batchGetAll, dynamoDb } from './dynamodb.ts';

export interface AggregationTables {
  /** VoteAppAppliedVotes: key VoterId; Candidate (absent: counts for nobody), Version. */
  appliedVotes: string;
  /** VoteAppAggregates: key Candidate; Votes. */
  aggregates: string;
}

/** The aggregation store over DynamoDB: consistent reads, one transaction per chunk. */
export function dynamoDbAggregationStore(tables: AggregationTables): AggregationStore {
  return {
    readApplied: (voterIds) => readAppliedVotes(tables.appliedVotes, voterIds),
    writeChunk: (chunk) => writeChunk(tables, chunk),
  };
}

async function readAppliedVotes(table: string, voterIds: readonly string[]): Promise<Map<string, AppliedVote>> {
  // Consistent: a stale read would only cost a conflict and another round, but why pay it.
  const items = await batchGetAll(
    table,
    voterIds.map((voterId) => ({ VoterId: voterId })),
    { consistentRead: true },
  );
  return new Map(
    items.map((item) => {
      const applied: AppliedVote = {
        voterId: String(item.VoterId),
        version: Number(item.Version),
        candidate: typeof item.Candidate === 'string' ? item.Candidate : null,
      };
      return [applied.voterId, applied];
    }),
  );
}

async function writeChunk(tables: AggregationTables, chunk: AggregationPlan): Promise<'applied' | 'conflict'> {
  try {
    await dynamoDb().send(
      new TransactWriteCommand({
        TransactItems: [
          ...chunk.updates.map((update) => ({ Update: appliedVoteUpdate(tables.appliedVotes, update) })),
          ...chunk.deltas.map(({ candidate, delta }) => ({
            Update: {
              TableName: tables.aggregates,
              Key: { Candidate: candidate },
              UpdateExpression: 'ADD Votes :delta',
              ExpressionAttributeValues: { ':delta': delta },
            },
          })),
        ],
      }),
    );
    return 'applied';
  } catch (error) {
    if (isConflict(error)) return 'conflict';
    throw error;
  }
}

/**
 * The voter's new applied vote, only if it is still at the version the plan read. (An Update rather
 * than a Put: same effect here, and it needs only dynamodb:UpdateItem.)
 */
function appliedVoteUpdate(table: string, update: VoterUpdate) {
  const readValues = update.readVersion === null ? {} : { ':read': update.readVersion };
  const condition = update.readVersion === null ? 'attribute_not_exists(VoterId)' : 'Version = :read';
  return update.candidate === null
    ? {
        TableName: table,
        Key: { VoterId: update.voterId },
        ConditionExpression: condition,
        UpdateExpression: 'SET Version = :version REMOVE Candidate',
        ExpressionAttributeValues: { ':version': update.version, ...readValues },
      }
    : {
        TableName: table,
        Key: { VoterId: update.voterId },
        ConditionExpression: condition,
        UpdateExpression: 'SET Version = :version, Candidate = :candidate',
        ExpressionAttributeValues: { ':version': update.version, ':candidate': update.candidate, ...readValues },
      };
}

const CONFLICT_CODES = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/**
 * A transaction cancelled only because a condition failed or a concurrent transaction touched the
 * same items: nothing was written, and re-reading and re-planning will resolve it.
 */
function isConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const codes = ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [])
    .map((reason) => reason.Code ?? 'None')
    .filter((code) => code !== 'None');
  return codes.length > 0 && codes.every((code) => CONFLICT_CODES.has(code));
}
