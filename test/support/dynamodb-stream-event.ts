import { localCloud } from './cloud.ts';

let sequence = 7_100_000_000;

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/**
 * A DynamoDB stream record of a table of the stack, as Lambda delivers it: images given as plain values
 * (strings and numbers) are marshalled here; sequence numbers increase across the test run. Attributes
 * stay own properties, even one named __proto__ (Object.fromEntries).
 */
export function dynamodbStreamRecord(
  table: string,
  eventName: StreamEventName,
  keys: Record<string, string>,
  images: { old?: Record<string, unknown>; new?: Record<string, unknown> },
) {
  sequence += 1;
  const marshal = (image: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(image).map(([name, value]) => [
        name,
        typeof value === 'number' ? { N: String(value) } : { S: value },
      ]),
    );
  return {
    eventID: `evt-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${localCloud().stackName}-${table}/stream/2026-01-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: marshal(keys),
      ...(images.old ? { OldImage: marshal(images.old) } : {}),
      ...(images.new ? { NewImage: marshal(images.new) } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 200,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
