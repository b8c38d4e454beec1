/**
 * Stream records in the exact shape Lambda puts into `event.Records` (docs: "Using Lambda with
 * Kinesis Data Streams" / "Using Lambda with DynamoDB" example events). Pure functions.
 */

export interface KinesisRecordInput {
  data: Uint8Array;
  partitionKey: string;
  sequenceNumber: string;
  arrivalMs: number;
  encryptionType?: string;
}

export function kinesisEventRecord(
  record: KinesisRecordInput,
  at: { shardId: string; streamArn: string; region: string; invokeIdentityArn: string },
) {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: Buffer.from(record.data).toString('base64'),
      approximateArrivalTimestamp: record.arrivalMs / 1000,
      ...(record.encryptionType === 'KMS' ? { encryptionType: 'KMS' } : {}),
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${at.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: at.invokeIdentityArn,
    awsRegion: at.region,
    eventSourceARN: at.streamArn,
  };
}

type AttributeValue = Record<string, unknown>;

export interface DynamoDbRecordInput {
  eventID?: string;
  eventName?: string;
  eventVersion?: string;
  userIdentity?: unknown;
  dynamodb?: {
    ApproximateCreationDateTime?: Date;
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
}

export function dynamodbEventRecord(record: DynamoDbRecordInput, at: { streamArn: string; region: string }) {
  const change = record.dynamodb ?? {};
  const created = change.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: at.region,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      ...(change.Keys ? { Keys: jsonImage(change.Keys) } : {}),
      ...(change.NewImage ? { NewImage: jsonImage(change.NewImage) } : {}),
      ...(change.OldImage ? { OldImage: jsonImage(change.OldImage) } : {}),
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    eventSourceARN: at.streamArn,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  };
}

/** An item image as JSON: binary values (SDK Uint8Array) become base64, as in the Lambda event. */
export function jsonImage(image: Record<string, AttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, jsonAttribute(value)]));
}

function jsonAttribute(value: AttributeValue): AttributeValue {
  const base64 = (bytes: unknown) => Buffer.from(bytes as Uint8Array).toString('base64');
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: (value.BS as unknown[]).map(base64) };
  if (value.L !== undefined) return { L: (value.L as AttributeValue[]).map(jsonAttribute) };
  if (value.M !== undefined) return { M: jsonImage(value.M as Record<string, AttributeValue>) };
  return value;
}
