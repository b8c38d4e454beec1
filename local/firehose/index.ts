import { kinesisSource } from '../mappings/sources/kinesis.ts';
import { deliveryContext, type DeliveryStreamDeps, type DeliveryStreamSpec } from './context.ts';
import { deliverLoop } from './delivery.ts';
import { readAllShards } from './reader.ts';

export type { DeliveryStreamDeps, DeliveryStreamSpec } from './context.ts';

export interface DeliveryStats {
  id: string;
  name: string;
  buffered: number;
  records: number;
  objects: number;
  failedRecords: number;
  dropped: number;
  lastError?: string;
}

export interface RunningDeliveryStream {
  stats(): DeliveryStats;
  stop(): Promise<void>;
}

/**
 * Runs a delivery stream as Firehose does: reads every shard of its source stream from the start, buffers
 * records until the size or interval hint is reached, invokes the transformation (NumberOfRetries on
 * errors), writes the Ok data as one object under the prefix and the failed records' raw data under the
 * error prefix (retrying S3 until it succeeds, as Firehose does). One buffer covers both of Firehose's
 * buffering stages (processor and destination); the processor size only cuts invocations.
 */
export function startDeliveryStream(spec: DeliveryStreamSpec, deps: DeliveryStreamDeps): RunningDeliveryStream {
  const stopping = new AbortController();
  const context = deliveryContext(spec, deps, stopping.signal);
  const source = kinesisSource(deps.kinesis, {
    streamArn: spec.sourceStreamArn,
    region: deps.region,
    invokeIdentityArn: spec.arn,
  });
  const readers = new Map<string, Promise<void>>();
  const running = [readAllShards(context, source, readers), deliverLoop(context)];
  return {
    stats: () => {
      const { records, objects, failedRecords, dropped, lastError } = context.counters;
      return {
        id: spec.id,
        name: spec.name,
        buffered: context.buffer.length,
        records,
        objects,
        failedRecords,
        dropped,
        ...(lastError ? { lastError } : {}),
      };
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled([...running, ...readers.values()]);
    },
  };
}
