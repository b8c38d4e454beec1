import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { backoffMs } from './dynamodb.ts';
import { kinesis } from './kinesis.ts';

interface Pending { data: Uint8Array; partitionKey: string; attempts: number; resolve: () => void; reject: (error: Error) => void }

export interface RecordBatcher {
  /** Resolves once Kinesis has accepted this record. */
  put(data: Uint8Array, partitionKey: string): Promise<void>;
}

const PUT_RECORDS_LIMIT = 500;
const MAX_ATTEMPTS = 5;

/**
 * Group commit for a long-running producer: records that arrive while earlier PutRecords calls are in
 * flight are sent together in the next call (up to 500), so each caller still waits for its own
 * record to be accepted — no timer, no added latency when idle — but one request carries many
 * records under load. Records Kinesis rejects (throttling) are retried with backoff.
 */
export function createRecordBatcher(streamName: string, options: { maxInFlight?: number; client?: () => KinesisClient } = {}): RecordBatcher {
  const maxInFlight = options.maxInFlight ?? 4;
  const client = options.client ?? kinesis;
  const queue: Pending[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, PUT_RECORDS_LIMIT);
      inFlight += 1;
      void send(batch).finally(() => { inFlight -= 1; pump(); });
    }
  };

  async function send(batch: Pending[]): Promise<void> {
    try {
      const output = await client().send(new PutRecordsCommand({
        StreamName: streamName, Records: batch.map((p) => ({ Data: p.data, PartitionKey: p.partitionKey })),
      }));
      const rejected = batch.filter((_, index) => output.Records?.[index]?.ErrorCode !== undefined || output.Records?.[index] === undefined);
      batch.filter((p) => !rejected.includes(p)).forEach((p) => p.resolve());
      if (rejected.length) await retryLater(rejected, `rejected by Kinesis (${output.Records?.find((r) => r.ErrorCode)?.ErrorCode ?? 'no result'})`);
    } catch (error) {
      batch.forEach((p) => p.reject(error as Error));
    }
  }

  async function retryLater(records: Pending[], reason: string): Promise<void> {
    const retry = records.filter((p) => (p.attempts += 1) < MAX_ATTEMPTS);
    records.filter((p) => !retry.includes(p)).forEach((p) => p.reject(new Error(`record ${reason} ${MAX_ATTEMPTS} times`)));
    if (!retry.length) return;
    await sleep(backoffMs(Math.max(...retry.map((p) => p.attempts))));
    queue.unshift(...retry);
  }

  return {
    put: (data, partitionKey) => new Promise<void>((resolve, reject) => {
      queue.push({ data, partitionKey, attempts: 0, resolve, reject });
      pump();
    }),
  };
}
