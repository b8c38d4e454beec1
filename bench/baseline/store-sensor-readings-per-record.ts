import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { parseReadingText, readingItem } from '../../src/domain/iot/reading.ts';

// The naive consumer the IoT benchmark compares with (the reference's shape): one PutItem per reading,
// one after another. No alerts, metrics or dead letters: only the write path is compared.
const client = new DynamoDBClient({});

export const handler = async (event: KinesisStreamEvent) => {
  for (const record of event.Records) {
    const parsed = parseReadingText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'), Date.now());
    if (!parsed.ok) continue;
    await client.send(
      new PutItemCommand({
        TableName: process.env.SENSOR_TABLE,
        Item: marshall(readingItem(parsed.value), { removeUndefinedValues: true }),
      }),
    );
  }
  return { batchItemFailures: [] };
};
