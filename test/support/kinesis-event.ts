import { physicalId } from './cloud.ts';

let sequence = 4_970_000_000_000n;

/** A record's payload: objects are sent as JSON, strings as UTF-8, bytes as they are. */
export type Payload = object | string | Uint8Array;

const bytesOf = (payload: Payload) =>
  payload instanceof Uint8Array
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));

/**
 * A Kinesis event as Lambda hands it to a consumer of the stream with this logical id: increasing
 * sequence numbers (unique across the test run), eventID `<shardId>:<sequenceNumber>`, base64 data.
 */
export function kinesisEvent(
  streamLogicalId: string,
  payloads: readonly Payload[],
  options: { shardId?: string; partitionKey?: (payload: Payload) => string } = {},
) {
  const shardId = options.shardId ?? 'shardId-000000000000';
  const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${physicalId(streamLogicalId)}`;
  return {
    Records: payloads.map((payload) => {
      sequence += 1n;
      const sequenceNumber = sequence.toString().padStart(56, '0');
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: options.partitionKey?.(payload) ?? 'raw',
          sequenceNumber,
          data: Buffer.from(bytesOf(payload)).toString('base64'),
          approximateArrivalTimestamp: Date.now() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
        awsRegion: 'us-east-1',
        eventSourceARN: streamArn,
      };
    }),
  };
}
