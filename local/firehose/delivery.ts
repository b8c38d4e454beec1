import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { flushDue, invocationSizes } from './buffer.ts';
import { bufferedBytes, MIB, type DeliveryContext } from './context.ts';
import {
  deliveryOutcome,
  transformationEvent,
  type BufferedRecord,
  type DeliveryOutcome,
  type FailedRecord,
} from './outcome.ts';
import { expandErrorPrefix, expandPrefix, objectKey } from './prefix.ts';

// Lambda's synchronous payload limit bounds an invocation whatever the processor buffer says.
const MAX_INVOCATION_DATA_BYTES = 4 * MIB;

/** Delivers the buffer whenever a size or interval hint says so, until stopped. */
export async function deliverLoop(context: DeliveryContext): Promise<void> {
  const { spec, buffer, counters, signal } = context;
  while (!signal.aborted) {
    if (
      !flushDue({ bytes: bufferedBytes(context), oldestMs: buffer[0]?.arrivalMs }, Date.now(), {
        intervalSeconds: spec.intervalSeconds,
        sizeMb: spec.sizeMb,
      })
    ) {
      await context.pause(Math.min(context.pollMs, Math.max(10, spec.intervalSeconds * 1000)));
      continue;
    }
    const count =
      invocationSizes(
        buffer.map((r) => r.data.length),
        spec.sizeMb * MIB,
      )[0] ?? 0;
    const batch = buffer.splice(0, count);
    try {
      const outcome = await transform(context, batch);
      if (signal.aborted) return;
      await writeObjects(context, batch, outcome);
      counters.records += batch.length;
      counters.dropped += outcome.dropped;
      counters.failedRecords += outcome.failed.length;
    } catch (error) {
      // Not delivered: the batch goes back to the front of the buffer and is tried again.
      context.fail(error);
      buffer.unshift(...batch);
      await context.pause(1000);
    }
  }
}

/** The transformation's outcome over the batch, cut into invocations no larger than the processor buffer. */
async function transform(context: DeliveryContext, batch: BufferedRecord[]): Promise<DeliveryOutcome> {
  const { processor } = context.spec;
  if (!processor) return { delivered: batch.map((r) => r.data), failed: [], dropped: 0 };
  const total: DeliveryOutcome = { delivered: [], failed: [], dropped: 0 };
  let start = 0;
  for (const size of invocationSizes(
    batch.map((r) => r.data.length),
    Math.min(processor.bufferMb * MIB, MAX_INVOCATION_DATA_BYTES),
  )) {
    const records = batch.slice(start, (start += size));
    const outcome = await invokeWithRetries(context, records);
    total.delivered.push(...outcome.delivered);
    total.failed.push(...outcome.failed);
    total.dropped += outcome.dropped;
  }
  return total;
}

async function invokeWithRetries(context: DeliveryContext, records: BufferedRecord[]): Promise<DeliveryOutcome> {
  const { spec, deps } = context;
  const { functionArn, retries } = spec.processor!;
  const event = transformationEvent(records, {
    invocationId: randomUUID(),
    deliveryStreamArn: spec.arn,
    sourceStreamArn: spec.sourceStreamArn,
    region: deps.region,
  });
  for (let attempt = 1; ; attempt += 1) {
    const result = await deps.runtime.invoke(functionArn, event);
    const invocation = result.ok
      ? { ok: true as const, payload: result.payload }
      : { ok: false as const, errorMessage: result.error.errorMessage };
    if (result.ok || attempt > retries || context.signal.aborted)
      return deliveryOutcome(records, invocation, { lambdaArn: functionArn, attemptsMade: attempt, nowMs: Date.now() });
    context.fail(new Error(`${spec.name}: transformation failed (attempt ${attempt}): ${result.error.errorMessage}`));
    await context.pause(Math.min(1000 * attempt, 5000));
  }
}

/** The transformed data as one object under the prefix, the failed records' raw data under the error prefix. */
async function writeObjects(
  context: DeliveryContext,
  batch: BufferedRecord[],
  outcome: DeliveryOutcome,
): Promise<void> {
  const { spec } = context;
  const timestampMs = Math.min(...batch.map((r) => r.arrivalMs));
  if (outcome.delivered.length > 0) {
    const randomString = randomUUID();
    await put(
      context,
      objectKey(
        expandPrefix(spec.prefix, { timestampMs, randomString }),
        spec.name,
        timestampMs,
        randomString,
        spec.compressed,
      ),
      Buffer.concat(outcome.delivered),
    );
  }
  if (outcome.failed.length > 0) {
    const randomString = randomUUID();
    const prefix = expandErrorPrefix(spec.errorOutputPrefix, {
      timestampMs,
      randomString,
      errorOutputType: 'processing-failed',
    });
    await put(
      context,
      objectKey(prefix, spec.name, timestampMs, randomString, spec.compressed),
      Buffer.from(outcome.failed.map((f: FailedRecord) => `${JSON.stringify(f)}\n`).join('')),
    );
  }
}

/** Firehose retries S3 until it succeeds (up to its retention); locally, until the cloud stops. */
async function put(context: DeliveryContext, key: string, body: Buffer): Promise<void> {
  const { spec, deps } = context;
  for (let attempt = 1; !context.signal.aborted; attempt += 1) {
    try {
      await deps.s3.send(
        new PutObjectCommand({ Bucket: spec.bucket, Key: key, Body: spec.compressed ? gzipSync(body) : body }),
      );
      context.counters.objects += 1;
      return;
    } catch (error) {
      context.fail(error);
      await context.pause(Math.min(500 * attempt, 5000));
    }
  }
}
