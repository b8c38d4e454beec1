import { BatchDriver } from './batch-driver.ts';
import { ShardCursor } from './shard-cursor.ts';
import type { LambdaRuntime } from '../runtime/index.ts';
import type { EventSourceMappingSpec, StartPosition, StreamSource } from './types.ts';

export interface MappingCounters {
  batches: number;
  records: number;
  failures: number;
  discarded: number;
  lastProcessingResult: 'No records processed' | 'OK' | 'PROBLEM: Function call failed';
  lastError?: string;
}

export interface ShardReaderDeps {
  spec: EventSourceMappingSpec;
  source: StreamSource;
  runtime: LambdaRuntime;
  functionArn: string;
  sendToDestination: (arn: string, message: unknown, options?: { objectKey?: string }) => Promise<void>;
  counters: MappingCounters;
  pollIntervalMs: number;
  signal: AbortSignal;
}

export interface ShardReader {
  /** Settles when the starting iterator is known (or the reader gave up trying). */
  ready: Promise<void>;
  /** 'finished' when a closed shard has been read and processed to its end. */
  done: Promise<'finished' | 'stopped'>;
  lagMs(): number;
}

/**
 * Reads one shard in order with one batch in flight: a shard cursor (iterators, their recovery, the
 * checkpoint) feeds a batch driver (batching, invocation, retries, bisection, on-failure destination).
 */
export function readShard(shardId: string, startingPosition: StartPosition, deps: ShardReaderDeps): ShardReader {
  const onError = (error: unknown) => {
    deps.counters.lastError = `${shardId}: ${(error as Error).message ?? String(error)}`;
  };
  const cursor = new ShardCursor(shardId, startingPosition, deps.source, {
    pollIntervalMs: deps.pollIntervalMs,
    signal: deps.signal,
    onError,
  });
  const driver = new BatchDriver(shardId, cursor, deps);
  const ready = cursor.begin(); // never rejects: the cursor retries until it has an iterator or is stopped
  return { ready, done: ready.then(() => driver.run()), lagMs: () => cursor.lagMs() };
}
