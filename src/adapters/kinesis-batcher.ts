import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { backoffMs } from './dynamodb.ts';
import { kinesis } from './kinesis.ts';

interface Pending {
  data: Uint8Array;
  partitionKey: string;
  attempts: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface BatcherStats {
  /** Records taken by put and not yet accepted or failed (queued, in flight or waiting to be retried). */
  held: number;
  heldBytes: number;
  /** The most records ever held at once. */
  maxHeld: number;
  /** PutRecords calls in flight. */
  inFlight: number;
  /** Puts refused because the batcher was full. */
  refused: number;
  /** PutRecords calls made, and the records they carried (their ratio: how well hits are grouped). */
  calls: number;
  sent: number;
}

export interface RecordBatcher {
  /** Resolves once Kinesis has accepted this record; rejects at once with BatcherFull when the batcher holds its limit. */
  put(data: Uint8Array, partitionKey: string): Promise<void>;
  stats(): BatcherStats;
  /** Resolves once every record taken so far is accepted or failed (a shutdown drain). */
  flush(): Promise<void>;
}

export interface BatcherOptions {
  /** PutRecords calls at once; records arriving meanwhile wait for the next call. */
  maxInFlight?: number;
  /** Records that must be waiting before a call starts beside one already in flight (adaptive batching). */
  parallelAt?: number;
  /** The most records held (queued, in flight, retrying); beyond it put refuses. */
  maxRecords?: number;
  /** The most bytes of record data held. */
  maxBytes?: number;
  client?: () => KinesisClient;
}

/** Refused at once because the batcher holds its limit: Kinesis is slower than the hits coming in. */
export class BatcherFull extends Error {
  readonly limit: { maxRecords: number; maxBytes: number };

  constructor(limit: { maxRecords: number; maxBytes: number }) {
    super(`the record batcher is full (${limit.maxRecords} records or ${limit.maxBytes} bytes held)`);
    this.name = 'BatcherFull';
    this.limit = limit;
  }
}

export const BATCHER_DEFAULTS = {
  maxInFlight: 4,
  parallelAt: 100,
  maxRecords: 10_000,
  maxBytes: 8 * 1024 * 1024,
} as const;
const PUT_RECORDS_LIMIT = 500;
const MAX_ATTEMPTS = 5;

/**
 * Group commit for a long-running producer: records that arrive while earlier PutRecords calls are in
 * flight are sent together in the next call (up to 500), so each caller still waits for its own
 * record to be accepted — no timer, no added latency when idle — but one request carries many
 * records under load (a call beside one in flight starts only for `parallelAt` waiting records). Records Kinesis rejects (throttling) are retried with backoff. What it holds is
 * bounded: when Kinesis is slow or unreachable, put refuses at once instead of growing memory.
 */
export function createRecordBatcher(streamName: string, options: BatcherOptions = {}): RecordBatcher {
  const { maxInFlight, parallelAt, maxRecords, maxBytes } = { ...BATCHER_DEFAULTS, ...options };
  const client = options.client ?? kinesis;
  const queue: Pending[] = [];
  const stats: BatcherStats = { held: 0, heldBytes: 0, maxHeld: 0, inFlight: 0, refused: 0, calls: 0, sent: 0 };
  let drained: Array<() => void> = [];

  // Idle: send at once (no added latency). Busy: a second call only for a well-filled batch, since each
  // PutRecords costs far more CPU (SDK middleware, signing, HTTP) than a record in it; more calls in
  // parallel only when records pile up (a slow Kinesis).
  const mayStart = () =>
    queue.length > 0 && (stats.inFlight === 0 || (stats.inFlight < maxInFlight && queue.length >= parallelAt));
  const pump = () => {
    while (mayStart()) {
      const batch = queue.splice(0, PUT_RECORDS_LIMIT);
      stats.inFlight += 1;
      stats.calls += 1;
      stats.sent += batch.length;
      void send(batch).finally(() => {
        stats.inFlight -= 1;
        pump();
      });
    }
  };

  async function send(batch: Pending[]): Promise<void> {
    try {
      const { rejected, reason } = await putBatch(client(), streamName, batch);
      if (rejected.length) queue.unshift(...(await retryLater(rejected, reason)));
    } catch (error) {
      batch.forEach((p) => p.reject(error as Error));
    }
  }

  const release = (bytes: number) => {
    stats.held -= 1;
    stats.heldBytes -= bytes;
    if (stats.held > 0) return;
    const waiting = drained;
    drained = [];
    waiting.forEach((done) => done());
  };

  return {
    put: (data, partitionKey) => {
      if (stats.held >= maxRecords || stats.heldBytes + data.byteLength > maxBytes) {
        stats.refused += 1;
        return Promise.reject(new BatcherFull({ maxRecords, maxBytes }));
      }
      stats.held += 1;
      stats.heldBytes += data.byteLength;
      stats.maxHeld = Math.max(stats.maxHeld, stats.held);
      return new Promise<void>((resolve, reject) => {
        const settle = (outcome: () => void) => () => {
          release(data.byteLength);
          outcome();
        };
        queue.push({
          data,
          partitionKey,
          attempts: 0,
          resolve: settle(resolve),
          reject: (error) => settle(() => reject(error))(),
        });
        pump();
      });
    },
    stats: () => ({ ...stats }),
    flush: () => (stats.held === 0 ? Promise.resolve() : new Promise<void>((done) => drained.push(done))),
  };
}

/** One PutRecords call: settles the records Kinesis took and answers those it rejected (throttled), to retry. */
async function putBatch(
  client: KinesisClient,
  streamName: string,
  batch: Pending[],
): Promise<{ rejected: Pending[]; reason: string }> {
  const output = await client.send(
    new PutRecordsCommand({
      StreamName: streamName,
      Records: batch.map((p) => ({ Data: p.data, PartitionKey: p.partitionKey })),
    }),
  );
  const rejected: Pending[] = [];
  batch.forEach((pending, index) => {
    const result = output.Records?.[index];
    if (result === undefined || result.ErrorCode !== undefined) rejected.push(pending);
    else pending.resolve();
  });
  return {
    rejected,
    reason: `rejected by Kinesis (${output.Records?.find((r) => r.ErrorCode)?.ErrorCode ?? 'no result'})`,
  };
}

/** Records Kinesis rejected, to send again after a backoff; those rejected too often fail. */
async function retryLater(records: Pending[], reason: string): Promise<Pending[]> {
  const retry = records.filter((p) => (p.attempts += 1) < MAX_ATTEMPTS);
  const failed = records.filter((p) => !retry.includes(p));
  failed.forEach((p) => p.reject(new Error(`record ${reason} ${MAX_ATTEMPTS} times`)));
  if (retry.length) await sleep(backoffMs(Math.max(...retry.map((p) => p.attempts))));
  return retry;
}
