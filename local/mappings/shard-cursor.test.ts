import { describe, expect, it } from 'vitest';
import { ShardCursor, type CursorSource } from './shard-cursor.ts';
import type { SourceRecord, StartPosition } from './types.ts';

const record = (n: number): SourceRecord => ({
  sequenceNumber: String(n),
  arrivalMs: 1_000 + n,
  eventRecord: { n },
  sizeBytes: 10,
});
const expired = () => Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' });
const trimmed = () => Object.assign(new Error('Trimmed'), { name: 'TrimmedDataAccessException' });

/**
 * One shard in memory: records 1..n, of which the first `trimmedBelow - 1` are gone. An iterator is the
 * index of the next record. `faults` are thrown by the next calls of GetRecords, one per call.
 */
function fakeShard(count: number, options: { trimmedBelow?: number; closed?: boolean } = {}) {
  const records = Array.from({ length: count }, (_, i) => record(i + 1));
  const oldest = (options.trimmedBelow ?? 1) - 1;
  const faults: Array<() => Error> = [];
  const positions: StartPosition[] = [];
  const source: CursorSource = {
    listShards: async () => [{ shardId: 'shard-1', parentShardIds: [], closed: options.closed ?? false }],
    getIterator: async (_shardId, position) => {
      positions.push(position);
      if (position.type === 'AT_TIMESTAMP')
        return String(records.findIndex((r) => r.arrivalMs >= position.timestampMs));
      if (position.type !== 'AFTER_SEQUENCE_NUMBER')
        return String(position.type === 'LATEST' ? records.length : oldest);
      const after = records.findIndex((r) => r.sequenceNumber === position.sequenceNumber) + 1;
      if (after - 1 < oldest) throw trimmed();
      return String(after);
    },
    getRecords: async (_shardId, iterator, limit) => {
      const fault = faults.shift();
      if (fault) throw fault();
      const from = Number(iterator);
      const batch = records.slice(from, from + limit);
      const ended = (options.closed ?? false) && from + batch.length >= records.length;
      return { records: batch, ...(ended ? {} : { nextIterator: String(from + batch.length) }) };
    },
    isExpiredIterator: (error) => (error as Error).name === 'ExpiredIteratorException',
    isTrimmed: (error) => (error as Error).name === 'TrimmedDataAccessException',
  };
  return { source, records, faults, positions };
}

function cursorOn(source: CursorSource, start: StartPosition = { type: 'TRIM_HORIZON' }) {
  const errors: string[] = [];
  const cursor = new ShardCursor('shard-1', start, source, {
    pollIntervalMs: 1,
    signal: new AbortController().signal,
    onError: (e) => errors.push((e as Error).name),
  });
  return { cursor, errors };
}

const numbers = (records: SourceRecord[]) => records.map((r) => Number(r.sequenceNumber));

describe('shard cursor', () => {
  it('reads a shard in order and advances its checkpoint only by what is taken', async () => {
    const { source } = fakeShard(5);
    const { cursor } = cursorOn(source);
    await cursor.begin();
    await cursor.fetch(3);
    expect(numbers(cursor.buffered)).toEqual([1, 2, 3]);
    expect(numbers(cursor.take(2))).toEqual([1, 2]);
    expect(cursor.lagMs(1_010)).toBe(1_010 - 1_003);
    await cursor.fetch(3);
    expect(numbers(cursor.buffered)).toEqual([3, 4, 5]);
  });

  it('renews an expired iterator just after the last record fetched, delivering nothing twice', async () => {
    const shard = fakeShard(6);
    const { cursor, errors } = cursorOn(shard.source);
    await cursor.begin();
    await cursor.fetch(2);
    shard.faults.push(expired);
    await cursor.fetch(2); // refused: the iterator is dropped
    await cursor.fetch(2); // a new one, after record 2
    expect(numbers(cursor.buffered)).toEqual([1, 2, 3, 4]);
    expect(shard.positions.at(-1)).toEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' });
    expect(errors).toEqual([]); // an expired iterator is routine, not an error to report
  });

  it('starts from the oldest record kept when its starting position has been trimmed away', async () => {
    const shard = fakeShard(6, { trimmedBelow: 4 });
    const { cursor, errors } = cursorOn(shard.source, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '1' });
    await cursor.begin();
    await cursor.fetch(10);
    expect(numbers(cursor.buffered)).toEqual([4, 5, 6]);
    expect(shard.positions).toEqual([{ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '1' }, { type: 'TRIM_HORIZON' }]);
    expect(errors).toEqual(['TrimmedDataAccessException']);
  });

  it('starts again at TRIM_HORIZON when GetRecords refuses its first iterator as trimmed (DynamoDB Local)', async () => {
    const shard = fakeShard(3);
    const { cursor, errors } = cursorOn(shard.source, { type: 'LATEST' });
    await cursor.begin();
    shard.faults.push(trimmed);
    await cursor.fetch(10);
    await cursor.fetch(10);
    expect(shard.positions).toEqual([{ type: 'LATEST' }, { type: 'TRIM_HORIZON' }]);
    expect(numbers(cursor.buffered)).toEqual([1, 2, 3]);
    expect(errors).toEqual(['TrimmedDataAccessException']);
  });

  it('goes on after the last record fetched when a trimmed refusal comes later', async () => {
    const shard = fakeShard(4);
    const { cursor } = cursorOn(shard.source);
    await cursor.begin();
    await cursor.fetch(2);
    shard.faults.push(trimmed);
    await cursor.fetch(2);
    await cursor.fetch(2);
    expect(numbers(cursor.buffered)).toEqual([1, 2, 3, 4]);
    expect(shard.positions.at(-1)).toEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' });
  });

  it('reports another error and keeps its iterator for the next call', async () => {
    const shard = fakeShard(2);
    const { cursor, errors } = cursorOn(shard.source);
    await cursor.begin();
    shard.faults.push(() => Object.assign(new Error('busy'), { name: 'ProvisionedThroughputExceededException' }));
    await cursor.fetch(10);
    await cursor.fetch(10);
    expect(errors).toEqual(['ProvisionedThroughputExceededException']);
    expect(numbers(cursor.buffered)).toEqual([1, 2]);
    expect(shard.positions).toHaveLength(1);
  });

  it('closes only when the stream lists the shard as closed and it has been read to its end', async () => {
    const closed = fakeShard(2, { closed: true });
    const reader = cursorOn(closed.source).cursor;
    await reader.begin();
    await reader.fetch(10);
    expect(reader.open).toBe(false);
    const open = fakeShard(2);
    const other = cursorOn(open.source).cursor;
    await other.begin();
    await other.fetch(10);
    expect(other.open).toBe(true);
  });
});
