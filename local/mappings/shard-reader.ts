import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LambdaRuntime } from '../runtime/index.ts';
import { batchOutcome } from './batch-outcome.ts';
import { failedBatchObjectKey, isBucketArn, streamFailureRecord, withPayload, type StreamFailureCondition } from './failure-record.ts';
import { batchLength, expiredPrefix } from './record-age.ts';
import { planAfterInvocation, retryBackoffMs, type PlannedBatch } from './retry-plan.ts';
import type { EventSourceMappingSpec, SourceRecord, StartPosition, StreamSource } from './types.ts';

/** Lambda's limit on a synchronous invocation's payload, less room for the `{"Records":[...]}` around the records. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024 - 1024;

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

interface Batch extends PlannedBatch { invokeCount: number; lastRequestId?: string; lastWasFunctionError: boolean }

/**
 * Reads one shard in order with one batch in flight: fetch, form a batch, invoke, and then act on the
 * outcome (checkpoint, bisect, retry, give up) before the next batch. The checkpoint is the front of
 * `buffer`: records fetched and not yet done; the pending batches always cover the front of it.
 */
export function readShard(shardId: string, startingPosition: StartPosition, deps: ShardReaderDeps): ShardReader {
  const { spec, source, counters, signal } = deps;
  let start = startingPosition;
  const buffer: SourceRecord[] = [];
  let pending: Batch[] = [];
  let iterator: string | undefined;
  let open = true;
  let lastFetched: string | undefined;
  let throttledInARow = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });

  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => undefined);
  const fail = (error: unknown) => { counters.lastError = `${shardId}: ${(error as Error).message ?? String(error)}`; };

  /** Where reading goes on after a lost iterator: just after the last record fetched. */
  const resumePosition = (): StartPosition => (lastFetched ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastFetched } : start);

  async function startIterator(position: StartPosition): Promise<void> {
    while (!signal.aborted) {
      try {
        iterator = await source.getIterator(shardId, position);
        if (!iterator) await endOrResume();
        return;
      } catch (error) {
        fail(error);
        // The position is older than anything the shard keeps: go on from its oldest record, as Lambda does.
        if (source.isTrimmed(error)) position = { type: 'TRIM_HORIZON' };
        else await pause(1000);
      }
    }
  }

  /**
   * No iterator means the shard has ended — but only believe it when the stream lists the shard as
   * closed: a busy local service can answer without one, and ending an open shard would strand its
   * future records.
   */
  async function endOrResume(): Promise<void> {
    const listed = await source.listShards().then((shards) => shards.find((s) => s.shardId === shardId), () => undefined);
    if (!listed || listed.closed) {
      open = false;
      return;
    }
    iterator = undefined;   // fetchOnce asks for a new one
    await pause(deps.pollIntervalMs);
  }

  /**
   * One GetRecords call. A lost iterator (expired, or refused as trimmed) is renewed just after the last
   * record fetched; records at or before it are dropped, so a renewed iterator never delivers twice.
   * DynamoDB Local refuses a TRIM_HORIZON iterator read on an empty shard once the first record
   * arrives (aws/aws-sdk-java#2923); without a record fetched, reading starts again at TRIM_HORIZON.
   */
  async function fetchOnce(limit: number): Promise<void> {
    if (!open) return;
    if (!iterator) await startIterator(resumePosition());
    if (!open || !iterator) return;
    try {
      const { records, nextIterator } = await source.getRecords(shardId, iterator, limit);
      const fresh = lastFetched ? records.filter((r) => BigInt(r.sequenceNumber) > BigInt(lastFetched!)) : records;
      buffer.push(...fresh);
      lastFetched = fresh.at(-1)?.sequenceNumber ?? lastFetched;
      iterator = nextIterator;
      if (!nextIterator) await endOrResume();
    } catch (error) {
      if (source.isExpiredIterator(error)) {
        iterator = undefined;
      } else if (source.isTrimmed(error)) {
        fail(error);
        iterator = undefined;
        if (!lastFetched) start = { type: 'TRIM_HORIZON' };
      } else {
        fail(error);
        await pause(1000);
      }
    }
  }

  /** Fills the buffer for the next batch, waiting up to the batching window for a fuller batch. */
  async function fill(): Promise<void> {
    if (buffer.length < spec.batchSize) await fetchOnce(spec.batchSize - buffer.length);
    const windowMs = spec.maximumBatchingWindowInSeconds * 1000;
    if (windowMs <= 0 || buffer.length === 0) return;
    const windowEnds = Date.now() + windowMs;
    while (!signal.aborted && open && buffer.length < spec.batchSize && Date.now() < windowEnds) {
      await pause(Math.min(deps.pollIntervalMs, windowEnds - Date.now()));
      await fetchOnce(spec.batchSize - buffer.length);
    }
  }

  async function giveUp(batch: Batch, count: number, condition: StreamFailureCondition): Promise<void> {
    const records = buffer.splice(0, count);
    counters.discarded += records.length;
    if (!spec.onFailureArn) return;
    const now = new Date();
    const invocationRecord = streamFailureRecord({
      batchInfoKey: source.batchInfoKey, condition, requestId: batch.lastRequestId ?? randomUUID(), functionArn: deps.functionArn,
      approximateInvokeCount: batch.invokeCount, functionError: batch.lastWasFunctionError, shardId, streamArn: spec.sourceArn,
      records, now,
    });
    // An S3 destination is given the batch itself too, one object per batch (SQS and SNS get the position only).
    const toBucket = isBucketArn(spec.onFailureArn);
    const record = toBucket ? withPayload(invocationRecord, { Records: records.map((r) => r.eventRecord) }) : invocationRecord;
    const options = toBucket ? { objectKey: failedBatchObjectKey(spec.uuid ?? spec.id, shardId, now, randomUUID()) } : undefined;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        await deps.sendToDestination(spec.onFailureArn, record, options);
        return;
      } catch (error) {
        fail(new Error(`on-failure destination ${spec.onFailureArn}: ${(error as Error).message}`));
        await pause(retryBackoffMs(attempt));
      }
    }
  }

  /** Delivers the batch at the front once and applies the outcome. */
  async function deliverFront(): Promise<void> {
    const batch = pending[0]!;
    const expired = expiredPrefix(buffer.slice(0, batch.size).map((r) => r.arrivalMs), Date.now(), spec.maximumRecordAgeInSeconds);
    if (expired > 0) {
      await giveUp(batch, expired, 'RecordAgeExceeded');
      batch.size -= expired;
      if (batch.size === 0) pending.shift();
      return;
    }
    const records = buffer.slice(0, batch.size);
    const result = await deps.runtime.invoke(spec.functionName, { Records: records.map((r) => r.eventRecord) });
    if (signal.aborted) return;   // stopping: the runtime may be going down too; the batch stays undone
    if (!result.ok && result.throttled) {
      // Over the function's reserved concurrency: the batch waits and is delivered again, no attempt counted.
      throttledInARow += 1;
      await pause(retryBackoffMs(throttledInARow));
      return;
    }
    throttledInARow = 0;
    counters.batches += 1;
    batch.invokeCount += 1;
    batch.lastRequestId = result.requestId;
    batch.lastWasFunctionError = !result.ok;
    const outcome = batchOutcome(result, records.map((r) => r.sequenceNumber), spec.reportBatchItemFailures);
    counters.lastProcessingResult = outcome.kind === 'success' ? 'OK' : 'PROBLEM: Function call failed';
    if (outcome.kind === 'failure') counters.lastError = `${shardId}: ${outcome.reason}`;
    if (outcome.kind !== 'success') counters.failures += 1;
    const plan = planAfterInvocation(batch, outcome, spec);
    buffer.splice(0, plan.done);
    counters.records += plan.done;
    if (plan.discard > 0) await giveUp(batch, plan.discard, 'RetryAttemptsExhausted');
    pending.splice(0, 1, ...plan.retry.map((next) => ({ ...batch, ...next })));
    const retried = plan.retry.find((next) => next.retries > batch.retries);
    if (retried) await pause(retryBackoffMs(retried.retries));
  }

  async function run(): Promise<'finished' | 'stopped'> {
    await startIterator(start);
    markReady();
    while (!signal.aborted) {
      if (pending.length === 0) {
        await fill();
        if (buffer.length === 0) {
          if (!open) return 'finished';
          await pause(deps.pollIntervalMs);
          continue;
        }
        const size = batchLength(buffer.map((r) => r.sizeBytes), spec.batchSize, MAX_EVENT_BYTES);
        pending = [{ size, retries: 0, invokeCount: 0, lastWasFunctionError: false }];
      }
      await deliverFront();
    }
    return 'stopped';
  }

  const done = run().finally(markReady);
  return { ready, done, lagMs: () => (buffer.length ? Math.max(0, Date.now() - buffer[0]!.arrivalMs) : 0) };
}
