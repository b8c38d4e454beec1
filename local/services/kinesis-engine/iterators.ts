import { KinesisError, invalid } from './errors.ts';
import type { Shard, StoredRecord, Stream, StreamStore } from './streams.ts';

/** Kinesis shard iterators expire five minutes after they are returned. */
export const ITERATOR_TTL_MS = 5 * 60_000;

/** What an iterator holds: a position just after `after` (records with a greater sequence number come next). */
export interface IteratorState {
  stream: string;
  /** The stream's creation time: an iterator of a deleted and re-created stream is not valid for the new one. */
  created: number;
  shard: string;
  after: bigint;
  issued: number;
}

export function encodeIterator(state: IteratorState): string {
  return Buffer.from(JSON.stringify({ ...state, after: state.after.toString() })).toString('base64');
}

export function decodeIterator(token: unknown): IteratorState {
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as Record<string, unknown>;
    const { stream, created, shard, after, issued } = parsed;
    if (
      typeof stream !== 'string' ||
      typeof shard !== 'string' ||
      typeof after !== 'string' ||
      typeof issued !== 'number' ||
      typeof created !== 'number'
    )
      throw new Error('shape');
    return { stream, created, shard, after: BigInt(after), issued };
  } catch {
    throw invalid(`Invalid ShardIterator: ${String(token).slice(0, 64)}`);
  }
}

export function checkNotExpired(state: IteratorState, now: number): void {
  if (now - state.issued > ITERATOR_TTL_MS) {
    throw new KinesisError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(state.issued).toISOString()} while right now it is ${new Date(now).toISOString()} which is further in the future than the tolerated delay of ${ITERATOR_TTL_MS} milliseconds.`,
    );
  }
}

/** The index of the first record with a sequence number greater than `after` (binary search: records are in order). */
export function firstAfter(records: readonly StoredRecord[], after: bigint): number {
  let [low, high] = [0, records.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (records[middle]!.seq > after) high = middle;
    else low = middle + 1;
  }
  return low;
}

export interface IteratorRequest {
  ShardIteratorType?: unknown;
  StartingSequenceNumber?: unknown;
  Timestamp?: unknown;
}

/** Where an iterator of a GetShardIterator request starts, as "just after" this sequence number. */
export function startingPoint(store: StreamStore, stream: Stream, shard: Shard, request: IteratorRequest): bigint {
  store.trim(stream, shard);
  const before = shard.startingSeq - 1n;
  switch (request.ShardIteratorType) {
    case 'TRIM_HORIZON':
      return before;
    case 'LATEST':
      return shard.endingSeq ?? store.peekSequence() - 1n;
    case 'AT_SEQUENCE_NUMBER':
      return sequenceArgument(request) - 1n;
    case 'AFTER_SEQUENCE_NUMBER':
      return sequenceArgument(request);
    case 'AT_TIMESTAMP': {
      if (typeof request.Timestamp !== 'number') throw invalid('Timestamp is required for AT_TIMESTAMP.');
      const atMs = request.Timestamp * 1000;
      const first = shard.records.find((record) => record.arrivalMs >= atMs);
      return first ? first.seq - 1n : (shard.endingSeq ?? store.peekSequence() - 1n);
    }
    default:
      throw invalid(
        `ShardIteratorType ${String(request.ShardIteratorType)} is not one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP.`,
      );
  }
}

function sequenceArgument(request: IteratorRequest): bigint {
  const value = request.StartingSequenceNumber;
  if (typeof value !== 'string' || !/^\d{1,128}$/.test(value))
    throw invalid(`StartingSequenceNumber ${String(value)} is not a sequence number.`);
  return BigInt(value);
}
