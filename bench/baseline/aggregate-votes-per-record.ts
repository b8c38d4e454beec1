import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { faultRate, injectWriteFaults } from '../../src/adapters/faults.ts';

// The naive aggregator the benchmark compares with: one UpdateItem per candidate touched by each
// stream record, sent one after another. (Not exact under retries; that is the point of ours.)
// It gets the same injected faults as ours when FAULT_DYNAMODB_WRITE_RATE is set.
const client = new DynamoDBClient({});
injectWriteFaults(client, faultRate(process.env.FAULT_DYNAMODB_WRITE_RATE));

export const handler = async (event: DynamoDBStreamEvent) => {
  for (const record of event.Records) {
    const before = record.dynamodb?.OldImage?.Candidate?.S;
    const after = record.dynamodb?.NewImage?.Candidate?.S;
    if (before === after) continue;
    if (before) await add(before, -1);
    if (after) await add(after, 1);
  }
};

async function add(candidate: string, delta: number) {
  await client.send(
    new UpdateItemCommand({
      TableName: process.env.AGGREGATES_TABLE,
      Key: { Candidate: { S: candidate } },
      UpdateExpression: 'ADD Votes :delta',
      ExpressionAttributeValues: { ':delta': { N: String(delta) } },
    }),
  );
}
