import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationResult } from '../runtime/index.ts';
import { batchOutcome } from './batch-outcome.ts';
import {
  failedBatchObjectKey,
  isBucketArn,
  streamFailureRecord,
  withPayload,
  type StreamFailureCondition,
} from './failure-record.ts';
import { batchLength, expiredPrefix } from './record-age.ts';
import { planAfterInvocation, retryBackoffMs, type PlannedBatch } from './retry-plan.ts';
import type { ShardCursor } from './shard-cursor.ts';
import type { ShardReaderDeps } from './shard-reader.ts';
import type { SourceRecord } from './types.ts';

/** Lambda's limit on a synchronous invocation's payload, less room for the `{"Records":[...]}` around the records. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024 - 1024;

interface Batch extends PlannedBatch {
  invokeCount: number;
  lastRequestId?: string;
  lastWasFunctionError: boolean;
}

/**
 * Drives one shard's batches, one in flight: fill a batch from the cursor (batch size, batching window,
 * payload limit), invoke, and act on the outcome (checkpoint, bisect, retry, give up) before the next.
 * The pending batches always cover the front of the cursor's buffer.
 */
export class BatchDriver {
  #pending: Batch[] = [];
  #throttledInARow = 0;
  readonly #shardId: string;
  readonly #cursor: ShardCursor;
  readonly #deps: ShardReaderDeps;

  constructor(shardId: string, cursor: ShardCursor, deps: ShardReaderDeps) {
    this.#shardId = shardId;
    this.#cursor = cursor;
    this.#deps = deps;
  }

  /** Until stopped, or until a closed shard has been read and processed to its end. */
  async run(): Promise<'finished' | 'stopped'> {
    const { signal, pollIntervalMs, spec } = this.#deps;
    const buffered = this.#cursor.buffered;
    while (!signal.aborted) {
      if (this.#pending.length === 0) {
        await this.#fill();
        if (buffered.length === 0) {
          if (!this.#cursor.open) return 'finished';
          await this.#pause(pollIntervalMs);
          continue;
        }
        const size = batchLength(
          buffered.map((r) => r.sizeBytes),
          spec.batchSize,
          MAX_EVENT_BYTES,
        );
        this.#pending = [{ size, retries: 0, invokeCount: 0, lastWasFunctionError: false }];
      }
      await this.#deliverFront();
    }
    return 'stopped';
  }

  /** Fills the buffer for the next batch, waiting up to the batching window for a fuller batch. */
  async #fill(): Promise<void> {
    const { spec, signal, pollIntervalMs } = this.#deps;
    const cursor = this.#cursor;
    if (cursor.buffered.length < spec.batchSize) await cursor.fetch(spec.batchSize - cursor.buffered.length);
    const windowMs = spec.maximumBatchingWindowInSeconds * 1000;
    if (windowMs <= 0 || cursor.buffered.length === 0) return;
    const windowEnds = Date.now() + windowMs;
    while (!signal.aborted && cursor.open && cursor.buffered.length < spec.batchSize && Date.now() < windowEnds) {
      await this.#pause(Math.min(pollIntervalMs, windowEnds - Date.now()));
      await cursor.fetch(spec.batchSize - cursor.buffered.length);
    }
  }

  /** Delivers the batch at the front once and applies the outcome. */
  async #deliverFront(): Promise<void> {
    const { spec, signal } = this.#deps;
    const batch = this.#pending[0]!;
    const expired = expiredPrefix(
      this.#cursor.buffered.slice(0, batch.size).map((r) => r.arrivalMs),
      Date.now(),
      spec.maximumRecordAgeInSeconds,
    );
    if (expired > 0) {
      await this.#giveUp(batch, expired, 'RecordAgeExceeded');
      batch.size -= expired;
      if (batch.size === 0) this.#pending.shift();
      return;
    }
    const records = this.#cursor.buffered.slice(0, batch.size);
    const result = await this.#deps.runtime.invoke(spec.functionName, { Records: records.map((r) => r.eventRecord) });
    if (signal.aborted) return; // stopping: the runtime may be going down too; the batch stays undone
    if (!result.ok && result.throttled) {
      // Over the function's reserved concurrency: the batch waits and is delivered again, no attempt counted.
      this.#throttledInARow += 1;
      await this.#pause(retryBackoffMs(this.#throttledInARow));
      return;
    }
    this.#throttledInARow = 0;
    await this.#applyOutcome(batch, records, result);
  }

  /** Counts the invocation, then checkpoints what is done, gives up what cannot be, and plans the retries. */
  async #applyOutcome(batch: Batch, records: SourceRecord[], result: InvocationResult): Promise<void> {
    const { spec, counters } = this.#deps;
    counters.batches += 1;
    batch.invokeCount += 1;
    batch.lastRequestId = result.requestId;
    batch.lastWasFunctionError = !result.ok;
    const outcome = batchOutcome(
      result,
      records.map((r) => r.sequenceNumber),
      spec.reportBatchItemFailures,
    );
    counters.lastProcessingResult = outcome.kind === 'success' ? 'OK' : 'PROBLEM: Function call failed';
    if (outcome.kind === 'failure') counters.lastError = `${this.#shardId}: ${outcome.reason}`;
    if (outcome.kind !== 'success') counters.failures += 1;
    const plan = planAfterInvocation(batch, outcome, spec);
    this.#cursor.take(plan.done);
    counters.records += plan.done;
    if (plan.discard > 0) await this.#giveUp(batch, plan.discard, 'RetryAttemptsExhausted');
    this.#pending.splice(0, 1, ...plan.retry.map((next) => ({ ...batch, ...next })));
    const retried = plan.retry.find((next) => next.retries > batch.retries);
    if (retried) await this.#pause(retryBackoffMs(retried.retries));
  }

  /** Drops the first `count` records and sends the standard invocation record to the on-failure destination. */
  async #giveUp(batch: Batch, count: number, condition: StreamFailureCondition): Promise<void> {
    const { spec, counters } = this.#deps;
    const records = this.#cursor.take(count);
    counters.discarded += records.length;
    if (!spec.onFailureArn) return;
    const now = new Date();
    const invocationRecord = streamFailureRecord({
      batchInfoKey: this.#deps.source.batchInfoKey,
      condition,
      requestId: batch.lastRequestId ?? randomUUID(),
      functionArn: this.#deps.functionArn,
      approximateInvokeCount: batch.invokeCount,
      functionError: batch.lastWasFunctionError,
      shardId: this.#shardId,
      streamArn: spec.sourceArn,
      records,
      now,
    });
    // An S3 destination is given the batch itself too, one object per batch (SQS and SNS get the position only).
    const toBucket = isBucketArn(spec.onFailureArn);
    const record = toBucket
      ? withPayload(invocationRecord, { Records: records.map((r) => r.eventRecord) })
      : invocationRecord;
    const options = toBucket
      ? { objectKey: failedBatchObjectKey(spec.uuid ?? spec.id, this.#shardId, now, randomUUID()) }
      : undefined;
    await this.#sendWithRetries(spec.onFailureArn, record, options);
  }

  async #sendWithRetries(arn: string, record: unknown, options: { objectKey: string } | undefined): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        await this.#deps.sendToDestination(arn, record, options);
        return;
      } catch (error) {
        this.#deps.counters.lastError = `${this.#shardId}: on-failure destination ${arn}: ${(error as Error).message}`;
        await this.#pause(retryBackoffMs(attempt));
      }
    }
  }

  #pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.#deps.signal }).catch(() => undefined);
  }
}
