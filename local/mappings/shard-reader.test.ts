import { describe, expect, it } from 'vitest';
import { readShard, type MappingCounters } from './shard-reader.ts';
import type { LambdaRuntime } from '../runtime/index.ts';
import type { EventSourceMappingSpec, ShardInfo, SourceRecord, StreamSource } from './types.ts';
import { eventually } from '../../test/support/eventually.ts';

const spec: EventSourceMappingSpec = {
  id: 'Mapping',
  functionName: 'consumer',
  kind: 'dynamodb',
  sourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/1',
  batchSize: 10,
  maximumBatchingWindowInSeconds: 0,
  startingPosition: 'TRIM_HORIZON',
  reportBatchItemFailures: false,
  bisectBatchOnFunctionError: false,
  maximumRetryAttempts: 0,
  maximumRecordAgeInSeconds: -1,
  enabled: true,
};

const record = (n: number): SourceRecord => ({
  sequenceNumber: String(n).padStart(6, '0'),
  arrivalMs: Date.now(),
  eventRecord: { n },
  sizeBytes: 10,
});

/**
 * A one-shard stream in memory. Its GetRecords can answer without a next iterator on an open shard,
 * as DynamoDB Local sometimes does; a real end of shard is `closed` in the shard list.
 */
function fakeStream(options: { dropIteratorOnCall?: number; refuseEmptyShardIterator?: boolean } = {}) {
  const records: SourceRecord[] = [];
  let closed = false;
  let calls = 0;
  const source: StreamSource = {
    kind: 'dynamodb',
    batchInfoKey: 'DDBStreamBatchInfo',
    listShards: async (): Promise<ShardInfo[]> => [{ shardId: 'shard-1', parentShardIds: [], closed }],
    getIterator: async (_shardId, position) => {
      if (position.type === 'AFTER_SEQUENCE_NUMBER')
        return String(records.findIndex((r) => r.sequenceNumber === position.sequenceNumber) + 1);
      if (position.type === 'LATEST') return String(records.length);
      return records.length === 0 ? 'empty' : '0';
    },
    getRecords: async (_shardId, iterator, limit) => {
      calls += 1;
      const from = iterator === 'empty' ? 0 : Number(iterator);
      // DynamoDB Local's bug: an iterator taken on the empty shard is refused, every time, once records exist.
      if (options.refuseEmptyShardIterator && records.length > 0 && iterator === 'empty') {
        throw Object.assign(new Error('The operation attempted to read past the oldest stream record in a shard.'), {
          name: 'TrimmedDataAccessException',
        });
      }
      const batch = records.slice(from, from + limit);
      const next = from + batch.length;
      if (iterator === 'empty' && batch.length === 0) return { records: [], nextIterator: 'empty' };
      const ended = closed && next >= records.length;
      return {
        records: batch,
        ...(ended || calls === options.dropIteratorOnCall ? {} : { nextIterator: String(next) }),
      };
    },
    isExpiredIterator: () => false,
    isTrimmed: (error) => (error as Error).name === 'TrimmedDataAccessException',
  };
  return {
    source,
    add: (n: number) => records.push(record(n)),
    close: () => {
      closed = true;
    },
  };
}

function consumer() {
  const seen: number[] = [];
  const runtime = {
    invoke: async (_name: string, event: { Records: Array<{ n: number }> }) => {
      seen.push(...event.Records.map((r) => r.n));
      return { ok: true, payload: null, durationMs: 1, requestId: 'r' };
    },
  } as unknown as LambdaRuntime;
  return { runtime, seen };
}

function start(
  source: StreamSource,
  runtime: LambdaRuntime,
  counters: MappingCounters = {
    batches: 0,
    records: 0,
    failures: 0,
    discarded: 0,
    lastProcessingResult: 'No records processed',
  },
) {
  const stopping = new AbortController();
  const reader = readShard(
    'shard-1',
    { type: 'TRIM_HORIZON' },
    {
      spec,
      source,
      runtime,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:consumer',
      sendToDestination: async () => {},
      counters,
      pollIntervalMs: 5,
      signal: stopping.signal,
    },
  );
  return { reader, stop: () => stopping.abort() };
}

describe('shard reader', () => {
  it('keeps reading an open shard when GetRecords answers without a next iterator', async () => {
    const stream = fakeStream({ dropIteratorOnCall: 2 });
    const { runtime, seen } = consumer();
    stream.add(1);
    const { stop } = start(stream.source, runtime);
    try {
      await eventually(() => expect(seen).toEqual([1]), { timeoutMs: 2000, intervalMs: 10 });
      stream.add(2);
      stream.add(3);
      await eventually(() => expect(seen).toEqual([1, 2, 3]), { timeoutMs: 2000, intervalMs: 10 });
    } finally {
      stop();
    }
  });

  it('starts again from the oldest record when an iterator taken on the empty shard is refused as trimmed', async () => {
    const stream = fakeStream({ refuseEmptyShardIterator: true });
    const { runtime, seen } = consumer();
    const { stop } = start(stream.source, runtime);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stream.add(1);
      stream.add(2);
      await eventually(() => expect(seen).toEqual([1, 2]), { timeoutMs: 2000, intervalMs: 10 });
      stream.add(3);
      await eventually(() => expect(seen).toEqual([1, 2, 3]), { timeoutMs: 2000, intervalMs: 10 });
    } finally {
      stop();
    }
  });

  it('finishes a closed shard after its last record', async () => {
    const stream = fakeStream();
    const { runtime, seen } = consumer();
    stream.add(1);
    stream.add(2);
    stream.close();
    const { reader, stop } = start(stream.source, runtime);
    try {
      await expect(reader.done).resolves.toBe('finished');
      expect(seen).toEqual([1, 2]);
    } finally {
      stop();
    }
  });

  it('holds a throttled batch and delivers it again later, spending no retry attempt (maximumRetryAttempts 0 here)', async () => {
    const stream = fakeStream();
    const delivered: number[][] = [];
    let throttles = 0;
    const runtime = {
      invoke: async (_name: string, event: { Records: Array<{ n: number }> }) => {
        if (throttles < 3) {
          throttles += 1;
          return {
            ok: false,
            throttled: true,
            timedOut: false,
            error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' },
            durationMs: 0,
            requestId: 'r',
          };
        }
        delivered.push(event.Records.map((r) => r.n));
        return { ok: true, payload: null, durationMs: 1, requestId: 'r' };
      },
    } as unknown as LambdaRuntime;
    const counters: MappingCounters = {
      batches: 0,
      records: 0,
      failures: 0,
      discarded: 0,
      lastProcessingResult: 'No records processed',
    };
    stream.add(1);
    stream.add(2);
    stream.close();
    const { reader, stop } = start(stream.source, runtime, counters);
    try {
      await expect(reader.done).resolves.toBe('finished');
      expect(throttles).toBe(3);
      expect(delivered).toEqual([[1, 2]]);
      expect(counters).toMatchObject({ batches: 1, records: 2, failures: 0, discarded: 0, lastProcessingResult: 'OK' });
    } finally {
      stop();
    }
  });
});
