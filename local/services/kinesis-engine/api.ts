import { KinesisError, invalid } from './errors.ts';
import { encodeIterator, startingPoint } from './iterators.ts';
import { appendRecord, readRecords, validEntry, type PutEntry } from './records.ts';
import { reshardHandlers } from './reshard.ts';
import type { Shard, Stream, StreamStore } from './streams.ts';

/** The API's input: the request's JSON body (AWS JSON 1.1: blobs are base64, timestamps epoch seconds). */
export type Input = Record<string, unknown>;
export type Operation = (store: StreamStore, input: Input) => unknown;

const seconds = (ms: number) => ms / 1000;
const encryptionOf = (stream: Stream) =>
  stream.encryption ? { EncryptionType: 'KMS', KeyId: stream.encryption.keyId } : { EncryptionType: 'NONE' };

export function shardView(shard: Shard) {
  return {
    ShardId: shard.id,
    ...(shard.parentId ? { ParentShardId: shard.parentId } : {}),
    ...(shard.adjacentParentId ? { AdjacentParentShardId: shard.adjacentParentId } : {}),
    HashKeyRange: { StartingHashKey: shard.startHash.toString(), EndingHashKey: shard.endHash.toString() },
    SequenceNumberRange: {
      StartingSequenceNumber: shard.startingSeq.toString(),
      ...(shard.endingSeq !== undefined ? { EndingSequenceNumber: shard.endingSeq.toString() } : {}),
    },
  };
}

function summary(stream: Stream) {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: stream.mode },
    StreamCreationTimestamp: seconds(stream.createdMs),
  };
}

function description(stream: Stream) {
  return {
    ...summary(stream),
    RetentionPeriodHours: stream.retentionHours,
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    ...encryptionOf(stream),
  };
}

const streamHandlers: Record<string, Operation> = {
  CreateStream: (store, input) => {
    const mode = (input.StreamModeDetails as { StreamMode?: Stream['mode'] } | undefined)?.StreamMode ?? 'PROVISIONED';
    const stream = store.create(
      String(input.StreamName ?? ''),
      input.ShardCount === undefined ? undefined : Number(input.ShardCount),
      mode,
    );
    for (const [key, value] of Object.entries((input.Tags as Record<string, string> | undefined) ?? {}))
      stream.tags.set(key, value);
    return {};
  },
  DeleteStream: (store, input) => {
    store.streams.delete(store.get(input).name);
    return {};
  },
  DescribeStream: (store, input) => {
    const stream = store.get(input);
    return {
      StreamDescription: { ...description(stream), Shards: stream.shards.map(shardView), HasMoreShards: false },
    };
  },
  DescribeStreamSummary: (store, input) => {
    const stream = store.get(input);
    const open = stream.shards.filter((shard) => shard.endingSeq === undefined).length;
    return { StreamDescriptionSummary: { ...description(stream), OpenShardCount: open, ConsumerCount: 0 } };
  },
  ListStreams: (store) => {
    const streams = [...store.streams.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { StreamNames: streams.map((s) => s.name), HasMoreStreams: false, StreamSummaries: streams.map(summary) };
  },
  // Every shard in one page: the local streams have few (the SDK and shard-reader follow NextToken when there is one).
  ListShards: (store, input) => ({ Shards: store.get(input).shards.map(shardView) }),
  AddTagsToStream: (store, input) => {
    const stream = store.get(input);
    for (const [key, value] of Object.entries((input.Tags as Record<string, string> | undefined) ?? {}))
      stream.tags.set(key, value);
    return {};
  },
  RemoveTagsFromStream: (store, input) => {
    const stream = store.get(input);
    for (const key of (input.TagKeys as string[] | undefined) ?? []) stream.tags.delete(key);
    return {};
  },
  ListTagsForStream: (store, input) => ({
    Tags: [...store.get(input).tags].map(([Key, Value]) => ({ Key, Value })),
    HasMoreTags: false,
  }),
  StartStreamEncryption: (store, input) => {
    if (input.EncryptionType !== 'KMS' || typeof input.KeyId !== 'string')
      throw invalid('EncryptionType KMS and a KeyId are required.');
    store.get(input).encryption = { type: 'KMS', keyId: input.KeyId };
    return {};
  },
  StopStreamEncryption: (store, input) => {
    delete store.get(input).encryption;
    return {};
  },
  IncreaseStreamRetentionPeriod: (store, input) => retention(store, input, 'up'),
  DecreaseStreamRetentionPeriod: (store, input) => retention(store, input, 'down'),
};

function retention(store: StreamStore, input: Input, direction: 'up' | 'down') {
  const stream = store.get(input);
  const hours = Number(input.RetentionPeriodHours);
  if (!Number.isInteger(hours) || hours < 24 || hours > 8760)
    throw invalid('RetentionPeriodHours must be an integer from 24 to 8760.');
  if (direction === 'up' ? hours < stream.retentionHours : hours > stream.retentionHours) {
    throw invalid(
      `RetentionPeriodHours ${hours} would ${direction === 'up' ? 'decrease' : 'increase'} the current ${stream.retentionHours}.`,
    );
  }
  stream.retentionHours = hours;
  return {};
}

const recordHandlers: Record<string, Operation> = {
  PutRecord: (store, input) => {
    const stream = store.get(input);
    const put = appendRecord(store, stream, validEntry(input as PutEntry));
    return {
      ShardId: put.shardId,
      SequenceNumber: put.sequenceNumber,
      EncryptionType: encryptionOf(stream).EncryptionType,
    };
  },
  PutRecords: (store, input) => {
    const stream = store.get(input);
    const entries = Array.isArray(input.Records) ? (input.Records as PutEntry[]) : [];
    if (entries.length < 1 || entries.length > 500) throw invalid('Records must hold 1 to 500 entries.');
    const valid = entries.map(validEntry);
    if (valid.reduce((sum, e) => sum + e.data.length + Buffer.byteLength(e.partitionKey), 0) > 5 * 1024 * 1024)
      throw invalid('A PutRecords request may be at most 5 MiB.');
    const results = valid.map((entry) => {
      try {
        const put = appendRecord(store, stream, entry);
        return { ShardId: put.shardId, SequenceNumber: put.sequenceNumber };
      } catch (error) {
        if (!(error instanceof KinesisError)) throw error;
        return { ErrorCode: error.type, ErrorMessage: error.message };
      }
    });
    return {
      FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
      Records: results,
      EncryptionType: encryptionOf(stream).EncryptionType,
    };
  },
  GetShardIterator: (store, input) => {
    const stream = store.get(input);
    const shard = store.shard(stream, input.ShardId);
    const after = startingPoint(store, stream, shard, input);
    return {
      ShardIterator: encodeIterator({
        stream: stream.name,
        created: stream.createdMs,
        shard: shard.id,
        after,
        issued: store.now(),
      }),
    };
  },
  GetRecords: (store, input) => {
    const { records, stream, shard, next, millisBehindLatest } = readRecords(store, input.ShardIterator, input.Limit);
    const encryption = stream.encryption ? { EncryptionType: 'KMS' } : {};
    return {
      Records: records.map((record) => ({
        SequenceNumber: record.seq.toString(),
        ApproximateArrivalTimestamp: seconds(record.arrivalMs),
        Data: record.data.toString('base64'),
        PartitionKey: record.partitionKey,
        ...encryption,
      })),
      NextShardIterator: next ?? null,
      MillisBehindLatest: millisBehindLatest,
      ...(next ? {} : { ChildShards: childShards(stream, shard) }),
    };
  },
};

function childShards(stream: Stream, parent: Shard) {
  return stream.shards
    .filter((shard) => shard.parentId === parent.id || shard.adjacentParentId === parent.id)
    .map((shard) => ({
      ShardId: shard.id,
      ParentShards: [shard.parentId, shard.adjacentParentId].filter(Boolean),
      HashKeyRange: shardView(shard).HashKeyRange,
    }));
}

export const OPERATIONS: Record<string, Operation> = { ...streamHandlers, ...recordHandlers, ...reshardHandlers };
