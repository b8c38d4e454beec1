import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { LambdaRuntime } from '../runtime/index.ts';

/** An AWS::Lambda::EventSourceMapping on a Kinesis or DynamoDB stream (the shape of local/cloud/model.ts MappingModel). */
export interface EventSourceMappingSpec {
  id: string; // logical id from the template
  functionName: string; // FunctionSpec.name
  kind: 'kinesis' | 'dynamodb';
  sourceArn: string; // stream ARN
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  startingPositionTimestamp?: number; // epoch seconds
  reportBatchItemFailures: boolean;
  bisectBatchOnFunctionError: boolean;
  maximumRetryAttempts: number; // -1 = until the record expires
  maximumRecordAgeInSeconds: number; // -1 = no limit
  onFailureArn?: string;
  enabled: boolean;
  /** The mapping's UUID (Lambda's name for it; S3 on-failure objects are filed under it). */
  uuid?: string;
}

export type MappingStats = {
  id: string;
  functionName: string;
  kind: 'kinesis' | 'dynamodb';
  sourceArn: string;
  /** Enabled (polling), Disabled (spec.enabled false) or Stopped. */
  state: 'Enabled' | 'Disabled' | 'Stopped';
  /** Shards being read now, and shards read to their end. */
  shards: number;
  finishedShards: number;
  /** Invocations made, records processed successfully, failed invocations (errors, timeouts, partial failures). */
  batches: number;
  records: number;
  failures: number;
  /** Records given up on (sent to the on-failure destination, or dropped when there is none). */
  discarded: number;
  /** Age of the oldest record fetched and not yet processed (0 when caught up). */
  lagMs: number;
  lastProcessingResult: 'No records processed' | 'OK' | 'PROBLEM: Function call failed';
  lastError?: string;
};

export interface MappingDeps {
  runtime: LambdaRuntime;
  clients: { kinesis?: KinesisClient; dynamodbStreams?: DynamoDBStreamsClient };
  /** `objectKey`: where an S3 destination stores the message (the key layout Lambda uses). */
  sendToDestination: (arn: string, message: unknown, options?: { objectKey?: string }) => Promise<void>;
  /** How often an empty shard is polled (default 200 ms). */
  pollIntervalMs?: number;
  /** How often the shard list is re-read to find new shards (default 1000 ms). */
  discoveryIntervalMs?: number;
}

export interface RunningMapping {
  stats(): MappingStats;
  /** Resolves once every shard present at the start has its starting iterator (LATEST is then fixed). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** One record as read from a stream, already in the shape Lambda delivers it. */
export interface SourceRecord {
  sequenceNumber: string;
  /** When the record entered the stream (ms), for record age and lag. */
  arrivalMs: number;
  /** The record in the Lambda event (`Records[i]`). */
  eventRecord: unknown;
  /** Size of the event record as JSON, for the 6 MB invocation payload limit. */
  sizeBytes: number;
}

export interface ShardInfo {
  shardId: string;
  /** Parent shards (a split has one, a merge two); they are read to their end first. */
  parentShardIds: string[];
  /** No new records will be added (it has an ending sequence number). */
  closed: boolean;
}

export type StartPosition =
  | { type: 'TRIM_HORIZON' | 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestampMs: number }
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

/** The stream API behind a mapping: Kinesis and DynamoDB Streams differ only here. */
export interface StreamSource {
  readonly kind: 'kinesis' | 'dynamodb';
  listShards(): Promise<ShardInfo[]>;
  getIterator(shardId: string, position: StartPosition): Promise<string | undefined>;
  /** `nextIterator` is undefined once a closed shard has been read to its end. */
  getRecords(
    shardId: string,
    iterator: string,
    limit: number,
  ): Promise<{ records: SourceRecord[]; nextIterator?: string }>;
  isExpiredIterator(error: unknown): boolean;
  /** The iterator or position points before the oldest record the shard still keeps. */
  isTrimmed(error: unknown): boolean;
  /** Field names of the on-failure record's batch info. */
  readonly batchInfoKey: 'KinesisBatchInfo' | 'DDBStreamBatchInfo';
}
