import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { kinesisEvent } from './kinesis-event.ts';
import { awsConfig, localCloud, physicalId } from './cloud.ts';

const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));

export const uniqueSensor = (label: string) => `it-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** A Kinesis event from SensorEventStream with these payloads (objects are sent as JSON, strings as they are). */
export function sensorEvent(payloads: Array<object | string>, shardId = 'shardId-000000000000') {
  return kinesisEvent('SensorEventStream', payloads, {
    shardId,
    partitionKey: (payload) =>
      typeof payload === 'string' || payload instanceof Uint8Array
        ? 'raw'
        : String((payload as { sensorId?: unknown }).sensorId),
  });
}

/** Every stored reading of a sensor, oldest first. */
export async function storedReadings(sensorId: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const output = await documents().send(
      new QueryCommand({
        TableName: physicalId('SensorData'),
        KeyConditionExpression: 'SensorId = :id',
        ExpressionAttributeValues: { ':id': sensorId },
        ExclusiveStartKey,
      }),
    );
    items.push(...(output.Items ?? []));
    ExclusiveStartKey = output.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export async function alertState(sensorId: string) {
  return (
    await documents().send(
      new GetCommand({ TableName: physicalId('SensorAlertState'), Key: { SensorId: sensorId }, ConsistentRead: true }),
    )
  ).Item;
}

/** Alerts the local SNS saw published on AlertTopic for a sensor. */
export async function publishedAlerts(sensorId: string): Promise<Array<{ subject?: string; message: string }>> {
  const topicName = physicalId('AlertTopic').split(':').pop()!;
  const response = await fetch(`${localCloud().endpoints.console}/_local/topics/${topicName}/messages`);
  const { messages } = (await response.json()) as { messages: Array<{ subject?: string; message: string }> };
  return messages.filter((m) => m.message.includes(`"${sensorId}"`));
}

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
