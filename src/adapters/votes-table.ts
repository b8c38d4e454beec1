import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, dynamoDb } from './dynamodb.ts';

export interface VoteRecord {
  voterId: string;
  candidate: string;
  channel: 'web' | 'sms';
  updatedAt: string;
}

/**
 * Records a voter's vote in VoteApp (key VoterId) with one conditional UpdateItem. Returns false when
 * the voter already votes for this candidate: then nothing is written, so the stream sees no change.
 * Every write bumps Version, which lets aggregation order the changes of each voter.
 */
export async function recordVote(table: string, vote: VoteRecord): Promise<boolean> {
  try {
    await dynamoDb().send(
      new UpdateCommand({
        TableName: table,
        Key: { VoterId: vote.voterId },
        UpdateExpression: 'SET Candidate = :c, Channel = :channel, UpdatedAt = :at ADD Version :one',
        ConditionExpression: 'attribute_not_exists(Candidate) OR Candidate <> :c',
        ExpressionAttributeValues: { ':c': vote.candidate, ':channel': vote.channel, ':at': vote.updatedAt, ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The totals of these candidates in VoteAppAggregates (key Candidate, attribute Votes). */
export async function readTotals(
  table: string,
  candidates: readonly string[],
  options: { consistentRead?: boolean } = {},
): Promise<Map<string, number>> {
  const items = await batchGetAll(
    table,
    candidates.map((candidate) => ({ Candidate: candidate })),
    options,
  );
  return new Map(items.map((item) => [String(item.Candidate), Number(item.Votes ?? 0)]));
}
