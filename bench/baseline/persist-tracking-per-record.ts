import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { decodeTrackingEvent, toItem } from '../../src/domain/tracking/tracking-event.ts';

// The naive consumer the tracking benchmark compares with: decode each record and PutItem it,
// one request after another (what the reference implementation does). No validation, no dead letters.
const client = new DynamoDBClient({});

export const handler = async (event: KinesisStreamEvent) => {
  for (const record of event.Records) {
    const trackingEvent = decodeTrackingEvent(Buffer.from(record.kinesis.data, 'base64'));
    await client.send(
      new PutItemCommand({ TableName: process.env.TRACKING_EVENTS_TABLE, Item: marshall(toItem(trackingEvent)) }),
    );
  }
  return { batchItemFailures: [] };
};
