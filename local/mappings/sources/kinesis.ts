import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { kinesisEventRecord } from '../event-records.ts';
import type { ShardInfo, SourceRecord, StreamSource } from '../types.ts';

/** A Kinesis data stream read with the Kinesis API (the local Kinesis needs an HTTP/1.1 handler). */
export function kinesisSource(
  client: KinesisClient,
  at: { streamArn: string; region: string; invokeIdentityArn: string },
): StreamSource {
  const StreamName = at.streamArn.split('/').pop()!;
  return {
    kind: 'kinesis',
    batchInfoKey: 'KinesisBatchInfo',
    async listShards() {
      const shards: Shard[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new ListShardsCommand(NextToken ? { NextToken } : { StreamName }));
        shards.push(...(page.Shards ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return shards.map((shard): ShardInfo => ({
        shardId: shard.ShardId!,
        parentShardIds: [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => Boolean(id)),
        closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      }));
    },
    async getIterator(shardId, position) {
      const output = await client.send(
        new GetShardIteratorCommand({
          StreamName,
          ShardId: shardId,
          ShardIteratorType: position.type,
          ...(position.type === 'AT_TIMESTAMP' ? { Timestamp: new Date(position.timestampMs) } : {}),
          ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: position.sequenceNumber } : {}),
        } satisfies StartPositionInput),
      );
      return output.ShardIterator;
    },
    async getRecords(shardId, iterator, limit) {
      const output = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit, 10_000) }),
      );
      const records = (output.Records ?? []).map((record): SourceRecord => {
        const arrivalMs = record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
        const eventRecord = kinesisEventRecord(
          {
            data: record.Data ?? new Uint8Array(),
            partitionKey: record.PartitionKey ?? '',
            sequenceNumber: record.SequenceNumber!,
            arrivalMs,
            encryptionType: record.EncryptionType,
          },
          { ...at, shardId },
        );
        return {
          sequenceNumber: record.SequenceNumber!,
          arrivalMs,
          eventRecord,
          sizeBytes: Buffer.byteLength(JSON.stringify(eventRecord)),
        };
      });
      return { records, nextIterator: output.NextShardIterator ?? undefined };
    },
    isExpiredIterator: (error) => (error as { name?: string }).name === 'ExpiredIteratorException',
    // Kinesis answers a read before its trim horizon with the oldest records kept, not an error.
    isTrimmed: () => false,
  };
}

type StartPositionInput = ConstructorParameters<typeof GetShardIteratorCommand>[0];
