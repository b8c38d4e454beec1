import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { kinesisEvent } from './kinesis-event.ts';
import { awsConfig, physicalId } from './cloud.ts';

const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));

export const uniqueUser = (label: string) => `it-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** A Kinesis event from ActivityStream with these payloads (objects are sent as JSON, strings as they are). */
export function activityEvent(payloads: Array<object | string>, shardId = 'shardId-000000000000') {
  return kinesisEvent('ActivityStream', payloads, {
    shardId,
    partitionKey: (payload) => {
      if (typeof payload === 'string' || payload instanceof Uint8Array) return 'raw';
      const fields = payload as Record<string, unknown>;
      const user = fields.username ?? fields.userName ?? fields.Username ?? fields.user;
      return String(typeof user === 'object' && user !== null ? (user as { name?: unknown }).name : user);
    },
  });
}

/** Every EventData item of a user, by id. */
export async function storedEvents(username: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const output = await documents().send(
      new QueryCommand({
        TableName: physicalId('EventData'),
        KeyConditionExpression: 'Username = :u',
        ExpressionAttributeValues: { ':u': username },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(output.Items ?? []));
    ExclusiveStartKey = output.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
