import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { dynamodbEventRecord, type DynamoDbRecordInput } from '../event-records.ts';
import { arrivalEstimate } from '../record-age.ts';
import type { ShardInfo, SourceRecord, StreamSource } from '../types.ts';

/** A DynamoDB stream read with the DynamoDB Streams API (DynamoDB Local serves it on its own endpoint). */
export function dynamodbSource(client: DynamoDBStreamsClient, at: { streamArn: string; region: string }): StreamSource {
  const StreamArn = at.streamArn;
  return {
    kind: 'dynamodb',
    batchInfoKey: 'DDBStreamBatchInfo',
    async listShards() {
      const shards: Shard[] = [];
      let ExclusiveStartShardId: string | undefined;
      do {
        const { StreamDescription } = await client.send(
          new DescribeStreamCommand({ StreamArn, ExclusiveStartShardId }),
        );
        shards.push(...(StreamDescription?.Shards ?? []));
        ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
      } while (ExclusiveStartShardId);
      return shards.map((shard): ShardInfo => ({
        shardId: shard.ShardId!,
        parentShardIds: shard.ParentShardId ? [shard.ParentShardId] : [],
        closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      }));
    },
    async getIterator(shardId, position) {
      if (position.type === 'AT_TIMESTAMP') throw new Error('DynamoDB streams have no AT_TIMESTAMP starting position');
      const output = await client.send(
        new GetShardIteratorCommand({
          StreamArn,
          ShardId: shardId,
          ShardIteratorType: position.type,
          ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: position.sequenceNumber } : {}),
        }),
      );
      return output.ShardIterator;
    },
    async getRecords(_shardId, iterator, limit) {
      const output = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit, 1000) }),
      );
      const seenMs = Date.now();
      const records = (output.Records ?? []).map((record): SourceRecord => {
        const created = record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? seenMs;
        const eventRecord = dynamodbEventRecord(record as DynamoDbRecordInput, at);
        return {
          sequenceNumber: record.dynamodb!.SequenceNumber!,
          arrivalMs: arrivalEstimate(created, seenMs),
          eventRecord,
          sizeBytes: Buffer.byteLength(JSON.stringify(eventRecord)),
        };
      });
      return { records, nextIterator: output.NextShardIterator ?? undefined };
    },
    isExpiredIterator: (error) => (error as { name?: string }).name === 'ExpiredIteratorException',
    isTrimmed: (error) => (error as { name?: string }).name === 'TrimmedDataAccessException',
  };
}
