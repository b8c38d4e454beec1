import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { kinesisSource } from '../mappings/sources/kinesis.ts';
import type { StreamSource } from '../mappings/types.ts';
import type { LambdaRuntime } from '../runtime/index.ts';
import { flushDue, invocationSizes } from './buffer.ts';
import { deliveryOutcome, transformationEvent, type BufferedRecord, type DeliveryOutcome, type FailedRecord } from './outcome.ts';
import { expandErrorPrefix, expandPrefix, objectKey } from './prefix.ts';

/** An AWS::KinesisFirehose::DeliveryStream reading a Kinesis stream into S3 (local/cloud/model.ts). */
export interface DeliveryStreamSpec {
  id: string;
  name: string;
  arn: string;
  sourceStreamArn: string;
  bucket: string;
  prefix: string;
  errorOutputPrefix?: string;
  intervalSeconds: number;
  sizeMb: number;
  compressed: boolean;
  processor?: { functionArn: string; retries: number; bufferMb: number };
}

export interface DeliveryStats { id: string; name: string; buffered: number; records: number; objects: number; failedRecords: number; dropped: number; lastError?: string }

export interface RunningDeliveryStream {
  stats(): DeliveryStats;
  stop(): Promise<void>;
}

interface Deps {
  kinesis: KinesisClient;
  s3: S3Client;
  runtime: LambdaRuntime;
  region: string;
  pollIntervalMs?: number;
}

const MIB = 1024 * 1024;
// Lambda's synchronous payload limit bounds an invocation whatever the processor buffer says.
const MAX_INVOCATION_DATA_BYTES = 4 * MIB;

/**
 * Runs a delivery stream as Firehose does: reads every shard of its source stream from the start, buffers
 * records until the size or interval hint is reached, invokes the transformation (NumberOfRetries on
 * errors), writes the Ok data as one object under the prefix and the failed records' raw data under the
 * error prefix (retrying S3 until it succeeds, as Firehose does). One buffer covers both of Firehose's
 * buffering stages (processor and destination); the processor size only cuts invocations.
 */
export function startDeliveryStream(spec: DeliveryStreamSpec, deps: Deps): RunningDeliveryStream {
  const stopping = new AbortController();
  const { signal } = stopping;
  const pollMs = deps.pollIntervalMs ?? 200;
  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => undefined);
  const source = kinesisSource(deps.kinesis, { streamArn: spec.sourceStreamArn, region: deps.region, invokeIdentityArn: spec.arn });
  const buffer: BufferedRecord[] = [];
  const counters = { records: 0, objects: 0, failedRecords: 0, dropped: 0, lastError: undefined as string | undefined };
  const fail = (error: unknown) => { counters.lastError = (error as Error).message ?? String(error); };
  const readers = new Map<string, Promise<void>>();
  const bufferedBytes = () => buffer.reduce((sum, r) => sum + r.data.length, 0);

  async function readShardInto(shardId: string): Promise<void> {
    let iterator: string | undefined;
    let last: string | undefined;
    while (!signal.aborted) {
      try {
        // Backpressure: a full buffer waits for delivery before more is read.
        if (bufferedBytes() >= 2 * spec.sizeMb * MIB) { await pause(pollMs); continue; }
        iterator ??= await source.getIterator(shardId, last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last } : { type: 'TRIM_HORIZON' });
        if (!iterator) return;
        const { records, nextIterator } = await source.getRecords(shardId, iterator, 10_000);
        for (const record of records) {
          const { kinesis } = record.eventRecord as { kinesis: { data: string; partitionKey: string } };
          buffer.push({
            recordId: `${record.sequenceNumber}:${shardId}`, data: Buffer.from(kinesis.data, 'base64'), arrivalMs: record.arrivalMs,
            shardId, partitionKey: kinesis.partitionKey, sequenceNumber: record.sequenceNumber,
          });
          last = record.sequenceNumber;
        }
        iterator = nextIterator;
        if (!nextIterator) return;
        if (records.length === 0) await pause(pollMs);
      } catch (error) {
        if (!source.isExpiredIterator(error)) { fail(error); await pause(1000); }
        iterator = undefined;
      }
    }
  }

  async function discover(stream: StreamSource): Promise<void> {
    while (!signal.aborted) {
      try {
        for (const { shardId } of await stream.listShards()) {
          if (!readers.has(shardId)) readers.set(shardId, readShardInto(shardId));
        }
      } catch (error) {
        fail(error);
      }
      await pause(2000);
    }
  }

  async function deliverLoop(): Promise<void> {
    while (!signal.aborted) {
      if (!flushDue({ bytes: bufferedBytes(), oldestMs: buffer[0]?.arrivalMs }, Date.now(), { intervalSeconds: spec.intervalSeconds, sizeMb: spec.sizeMb })) {
        await pause(Math.min(pollMs, Math.max(10, spec.intervalSeconds * 1000)));
        continue;
      }
      const count = invocationSizes(buffer.map((r) => r.data.length), spec.sizeMb * MIB)[0] ?? 0;
      const batch = buffer.splice(0, count);
      try {
        const outcome = await transform(batch);
        if (signal.aborted) return;
        await writeObjects(batch, outcome);
        counters.records += batch.length;
        counters.dropped += outcome.dropped;
        counters.failedRecords += outcome.failed.length;
      } catch (error) {
        // Not delivered: the batch goes back to the front of the buffer and is tried again.
        fail(error);
        buffer.unshift(...batch);
        await pause(1000);
      }
    }
  }

  async function transform(batch: BufferedRecord[]): Promise<DeliveryOutcome> {
    if (!spec.processor) return { delivered: batch.map((r) => r.data), failed: [], dropped: 0 };
    const { functionArn, retries, bufferMb } = spec.processor;
    const total: DeliveryOutcome = { delivered: [], failed: [], dropped: 0 };
    let start = 0;
    for (const size of invocationSizes(batch.map((r) => r.data.length), Math.min(bufferMb * MIB, MAX_INVOCATION_DATA_BYTES))) {
      const records = batch.slice(start, start += size);
      const outcome = await invokeWithRetries(records, functionArn, retries);
      total.delivered.push(...outcome.delivered);
      total.failed.push(...outcome.failed);
      total.dropped += outcome.dropped;
    }
    return total;
  }

  async function invokeWithRetries(records: BufferedRecord[], functionArn: string, retries: number): Promise<DeliveryOutcome> {
    const event = transformationEvent(records, { invocationId: randomUUID(), deliveryStreamArn: spec.arn, sourceStreamArn: spec.sourceStreamArn, region: deps.region });
    for (let attempt = 1; ; attempt += 1) {
      const result = await deps.runtime.invoke(functionArn, event);
      const invocation = result.ok ? { ok: true as const, payload: result.payload } : { ok: false as const, errorMessage: result.error.errorMessage };
      if (result.ok || attempt > retries || signal.aborted) return deliveryOutcome(records, invocation, { lambdaArn: functionArn, attemptsMade: attempt, nowMs: Date.now() });
      fail(new Error(`${spec.name}: transformation failed (attempt ${attempt}): ${result.error.errorMessage}`));
      await pause(Math.min(1000 * attempt, 5000));
    }
  }

  async function writeObjects(batch: BufferedRecord[], outcome: DeliveryOutcome): Promise<void> {
    const timestampMs = Math.min(...batch.map((r) => r.arrivalMs));
    if (outcome.delivered.length > 0) {
      const randomString = randomUUID();
      await put(objectKey(expandPrefix(spec.prefix, { timestampMs, randomString }), spec.name, timestampMs, randomString, spec.compressed), Buffer.concat(outcome.delivered));
    }
    if (outcome.failed.length > 0) {
      const randomString = randomUUID();
      const prefix = expandErrorPrefix(spec.errorOutputPrefix, { timestampMs, randomString, errorOutputType: 'processing-failed' });
      await put(objectKey(prefix, spec.name, timestampMs, randomString, spec.compressed), Buffer.from(outcome.failed.map((f: FailedRecord) => `${JSON.stringify(f)}\n`).join('')));
    }
  }

  /** Firehose retries S3 until it succeeds (up to its retention); locally, until the cloud stops. */
  async function put(key: string, body: Buffer): Promise<void> {
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      try {
        await deps.s3.send(new PutObjectCommand({ Bucket: spec.bucket, Key: key, Body: spec.compressed ? gzipSync(body) : body }));
        counters.objects += 1;
        return;
      } catch (error) {
        fail(error);
        await pause(Math.min(500 * attempt, 5000));
      }
    }
  }

  const running = [discover(source), deliverLoop()];
  return {
    stats: () => ({ id: spec.id, name: spec.name, buffered: buffer.length, records: counters.records, objects: counters.objects, failedRecords: counters.failedRecords, dropped: counters.dropped, ...(counters.lastError ? { lastError: counters.lastError } : {}) }),
    async stop() {
      stopping.abort();
      await Promise.allSettled([...running, ...readers.values()]);
    },
  };
}
