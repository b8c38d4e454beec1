import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { awsConfig, localCloud, physicalId } from './cloud.ts';

const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
let sequence = 4_970_000_000_000n;

export const uniqueSensor = (label: string) => `it-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** A Kinesis event from SensorEventStream with these payloads (objects are sent as JSON, strings as they are). */
export function sensorEvent(payloads: Array<object | string>, shardId = 'shardId-000000000000') {
  const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${physicalId('SensorEventStream')}`;
  return {
    Records: payloads.map((payload) => {
      sequence += 1n;
      const sequenceNumber = sequence.toString().padStart(56, '0');
      const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0', partitionKey: typeof payload === 'string' ? 'raw' : String((payload as { sensorId?: unknown }).sensorId),
          sequenceNumber, data: Buffer.from(data).toString('base64'), approximateArrivalTimestamp: Date.now() / 1000,
        },
        eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: `${shardId}:${sequenceNumber}`, eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/test', awsRegion: 'us-east-1', eventSourceARN: streamArn,
      };
    }),
  };
}

/** Every stored reading of a sensor, oldest first. */
export async function storedReadings(sensorId: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const output = await documents().send(new QueryCommand({
      TableName: physicalId('SensorData'), KeyConditionExpression: 'SensorId = :id', ExpressionAttributeValues: { ':id': sensorId }, ExclusiveStartKey,
    }));
    items.push(...output.Items ?? []);
    ExclusiveStartKey = output.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export async function alertState(sensorId: string) {
  return (await documents().send(new GetCommand({ TableName: physicalId('SensorAlertState'), Key: { SensorId: sensorId }, ConsistentRead: true }))).Item;
}

/** Alerts the local SNS saw published on AlertTopic for a sensor. */
export async function publishedAlerts(sensorId: string): Promise<Array<{ subject?: string; message: string }>> {
  const topicName = physicalId('AlertTopic').split(':').pop()!;
  const response = await fetch(`${localCloud().endpoints.console}/_local/topics/${topicName}/messages`);
  const { messages } = await response.json() as { messages: Array<{ subject?: string; message: string }> };
  return messages.filter((m) => m.message.includes(`"${sensorId}"`));
}

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
