import { KinesisError, invalid } from './errors.ts';
import { hashKeyOf } from './hash.ts';
import { checkNotExpired, decodeIterator, encodeIterator, firstAfter } from './iterators.ts';
import type { Shard, Stream, StreamStore } from './streams.ts';

const MAX_RECORD_BYTES = 1024 * 1024;
const SHARD_RECORDS_PER_SECOND = 1000;
const SHARD_BYTES_PER_SECOND = 1024 * 1024;
const MAX_GET_RECORDS = 10_000;
const MAX_GET_BYTES = 10 * 1024 * 1024;

export interface PutEntry {
  Data?: unknown;
  PartitionKey?: unknown;
  ExplicitHashKey?: unknown;
}
export interface Put {
  shardId: string;
  sequenceNumber: string;
}

/** Checks an entry's shape and size (what Kinesis refuses the whole request for). */
export function validEntry(entry: PutEntry): { data: Buffer; partitionKey: string; explicitHashKey?: string } {
  if (typeof entry.PartitionKey !== 'string' || entry.PartitionKey.length < 1 || entry.PartitionKey.length > 256) {
    throw invalid('PartitionKey must be a string of 1 to 256 characters.');
  }
  if (typeof entry.Data !== 'string') throw invalid('Data is required.');
  const data = Buffer.from(entry.Data, 'base64');
  if (data.length + Buffer.byteLength(entry.PartitionKey) > MAX_RECORD_BYTES)
    throw invalid('A record (data and partition key) may be at most 1 MiB.');
  const explicitHashKey = typeof entry.ExplicitHashKey === 'string' ? entry.ExplicitHashKey : undefined;
  return { data, partitionKey: entry.PartitionKey, explicitHashKey };
}

/** Appends one record to the open shard its hash key falls in; throws ProvisionedThroughputExceededException past the shard's limits when they are on. */
export function appendRecord(store: StreamStore, stream: Stream, entry: ReturnType<typeof validEntry>): Put {
  const hashKey = hashKeyOf(entry.partitionKey, entry.explicitHashKey);
  const shard = stream.shards.find((s) => s.endingSeq === undefined && s.startHash <= hashKey && hashKey <= s.endHash)!;
  const now = store.now();
  const bytes = entry.data.length + Buffer.byteLength(entry.partitionKey);
  if (store.shardLimits) admit(shard, bytes, now);
  store.trim(stream, shard);
  const seq = store.nextSequence();
  shard.records.push({ seq, data: entry.data, partitionKey: entry.partitionKey, arrivalMs: now });
  return { shardId: shard.id, sequenceNumber: seq.toString() };
}

function admit(shard: Shard, bytes: number, now: number): void {
  const second = Math.floor(now / 1000);
  if (shard.window.second !== second) shard.window = { second, records: 0, bytes: 0 };
  if (shard.window.records + 1 > SHARD_RECORDS_PER_SECOND || shard.window.bytes + bytes > SHARD_BYTES_PER_SECOND) {
    throw new KinesisError(
      'ProvisionedThroughputExceededException',
      `Rate exceeded for shard ${shard.id} in stream under account.`,
    );
  }
  shard.window.records += 1;
  shard.window.bytes += bytes;
}

/** One GetRecords call: records after the iterator's position (up to `limit` and 10 MiB), the next iterator, and how far behind the tip it is. */
export function readRecords(store: StreamStore, token: unknown, limit: unknown) {
  const state = decodeIterator(token);
  const now = store.now();
  checkNotExpired(state, now);
  const stream = store.get({ StreamName: state.stream });
  if (stream.createdMs !== state.created) throw invalid('ShardIterator is for a stream that no longer exists.');
  const shard = store.shard(stream, state.shard);
  store.trim(stream, shard);
  const max = limit === undefined ? MAX_GET_RECORDS : Number(limit);
  if (!Number.isInteger(max) || max < 1 || max > MAX_GET_RECORDS)
    throw invalid('Limit must be an integer from 1 to 10000.');
  const start = firstAfter(shard.records, state.after);
  let [end, bytes] = [start, 0];
  while (end < shard.records.length && end - start < max) {
    bytes += shard.records[end]!.data.length;
    if (bytes > MAX_GET_BYTES && end > start) break;
    end += 1;
  }
  const records = shard.records.slice(start, end);
  const after = records.at(-1)?.seq ?? state.after;
  const ended = shard.endingSeq !== undefined && end === shard.records.length;
  const behind = shard.records[end];
  return {
    records,
    stream,
    shard,
    next: ended ? undefined : encodeIterator({ ...state, after, issued: now }),
    millisBehindLatest: behind ? Math.max(0, now - behind.arrivalMs) : 0,
  };
}
